"""Unit kinds and levels, the plugins API of subsites, and the Subsite's rules."""

from __future__ import annotations

import pytest
from pyramid.exceptions import ConfigurationError
from pyramid.httpexceptions import HTTPForbidden

from core import main, operations
from core.testing import make_settings
from subsites import plugins
from subsites.units import read_kinds, read_levels, unit_kind, unit_kinds


def kinds_of(app) -> dict:
    return {k.name: k.level for k in unit_kinds(app.registry)}


def test_two_levels_by_default(app):
    assert kinds_of(app) == {"department": 1, "commune": 1, "other": 1}
    assert unit_kind(app.registry, "commune").label == "Xã, phường, đặc khu"
    assert unit_kind(app.registry, "district") is None


def test_three_levels_bring_districts(tmp_path):
    app = main({}, **make_settings(tmp_path, **{"cong.unit_levels": "province district commune"}))
    try:
        assert kinds_of(app) == {"department": 1, "district": 1, "commune": 2, "other": 1}
        ct = app.registry.cong_types["Subsite"]
        assert ("district", unit_kind(app.registry, "district").label) in ct.field(
            "unit_kind"
        ).vocabulary
    finally:
        app.registry._zodb_databases[""].close()


def test_kinds_from_the_settings():
    kinds = read_kinds("department 1 Sở, ban, ngành\n\nschool 2 Trường học\n")
    assert [(k.name, k.level, k.label) for k in kinds] == [
        ("department", 1, "Sở, ban, ngành"),
        ("school", 2, "Trường học"),
    ]


@pytest.mark.parametrize("value", ["department Sở", "Bad 1 X", "a 1 X\na 2 Y"])
def test_bad_kinds_stop_start_up(value):
    with pytest.raises(ConfigurationError):
        read_kinds(value)


def test_bad_levels_stop_start_up():
    assert read_levels("") == ("province", "commune")
    with pytest.raises(ConfigurationError, match="cong.unit_levels"):
        read_levels("province commune hamlet")


def add_subsite(model, name="xa-a", **values):
    data = {"title": "Xã A", "unit_kind": "commune", **values}
    return operations.create(model.request, model.site, "Subsite", data, source="json", name=name)


def test_plugins_api(model):
    subsite = add_subsite(model)
    request = model.request
    assert plugins.enabled_names(subsite) == {"news", "schedule", "search", "services"}
    plugins.disable(request, subsite, "search")
    assert plugins.enabled_names(subsite) == {"news", "schedule", "services"}
    request.context = subsite
    assert plugins.plugin_enabled(request, "news")
    assert not plugins.plugin_enabled(request, "search")
    request.context = model.site
    assert plugins.plugin_enabled(request, "search")  # the portal has everything
    plugins.enable(request, subsite, "search")
    assert subsite.enabled_plugins == ("news", "schedule", "search", "services")
    with pytest.raises(ValueError, match="no plugin 'nope'"):
        plugins.enable(request, subsite, "nope")
    with pytest.raises(ValueError):
        plugins.disable(request, subsite, "kernel.catalog")


def test_disabled_plugin_types_cannot_be_added_there(model):
    subsite = add_subsite(model)
    folder = operations.create(model.request, subsite, "Folder", {"title": "Tin"}, "json")
    plugins.disable(model.request, subsite, "news")
    names = {ct.name for ct in operations.addable_types(model.request, folder)}
    assert "News" not in names and "Page" in names
    with pytest.raises(operations.ValidationFailed):
        operations.create(model.request, folder, "News", {"title": "Tin 1"}, "json")
    assert "News" in {ct.name for ct in operations.addable_types(model.request, model.site)}


def test_only_managers_add_delete_or_move_subsites(model):
    subsite = add_subsite(model)
    other = add_subsite(model, name="xa-b", title="Xã B")
    model.site.principals.add_user("chu-tich", "mat-khau-dai-1", fullname="Chủ tịch")
    subsite.local_roles["chu-tich"] = ("SiteAdmin",)
    model.commit()
    model.act_as("chu-tich")
    request = model.request
    with pytest.raises(HTTPForbidden):
        add_subsite(model, name="xa-c")
    with pytest.raises(HTTPForbidden):
        operations.create(request, subsite, "Subsite", {"title": "Thôn", "unit_kind": "other"})
    with pytest.raises(HTTPForbidden):
        operations.delete(request, subsite)
    with pytest.raises(HTTPForbidden):
        operations.edit(request, other, {"title": "Đổi"}, "json", partial=True)
    # a SiteAdmin edits the subsite's look and contacts, not its kind, code or hosts
    operations.edit(request, subsite, {"phone": "0220 3855 555"}, "json", partial=True)
    with pytest.raises(operations.ValidationFailed) as refused:
        operations.edit(
            request, subsite, {"code": "123", "hostnames": ["a.vn"]}, "json", partial=True
        )
    assert set(refused.value.errors) == {"code", "hostnames"}
    assert subsite.code == "" and subsite.hostnames == ()
