"""Operations on content fire events, check permissions and keep uids right."""

import base64

import pytest
from pyramid.httpexceptions import HTTPForbidden

from core import operations as ops
from core.hookspecs import hookimpl
from core.uids import resolve


class Recorder:
    """A plugin that records the events it hears."""

    def __init__(self):
        self.events = []

    @hookimpl
    def cong_object_added(self, request, obj, parent):
        self.events.append(("added", obj.__name__, parent.__name__))

    @hookimpl
    def cong_object_modified(self, request, obj, fields):
        self.events.append(("modified", obj.__name__, fields))

    @hookimpl
    def cong_object_removed(self, request, obj, parent):
        self.events.append(("removed", obj.__name__, parent.__name__))

    @hookimpl
    def cong_object_moved(self, request, obj, old_parent, old_name, new_parent, new_name):
        self.events.append(("moved", old_name, new_name))

    @hookimpl
    def cong_workflow_transition(self, request, obj, transition, old_state, new_state, comment):
        self.events.append(("transition", obj.__name__, transition))


@pytest.fixture
def recorder(app):
    plugin = Recorder()
    app.registry.cong_plugins.register(plugin, name="recorder")
    yield plugin
    app.registry.cong_plugins.unregister(name="recorder")


def test_every_operation_fires_its_event(model, recorder):
    request, site = model.request, model.site
    folder = ops.create(request, site, "Folder", {"title": "Văn bản"})
    page = ops.create(request, folder, "Page", {"title": "Trang một"})
    ops.edit(request, page, {"title": "Trang 1", "text": "<p>x</p>"})
    ops.rename(request, page, "trang-1")
    other = ops.create(request, site, "Folder", {"title": "Khác"})
    ops.move(request, page, other)
    ops.reorder(request, site, "khac", 0)
    copy = ops.copy(request, other, folder)
    ops.delete(request, copy)
    from core.workflow import workflow_of

    workflow_of(request, folder).transition(request, folder, "publish")
    assert recorder.events == [
        ("added", "van-ban", ""),
        ("added", "trang-mot", "van-ban"),
        ("modified", "trang-mot", ("title", "text")),
        ("moved", "trang-mot", "trang-1"),
        ("added", "khac", ""),
        ("moved", "trang-1", "trang-1"),
        ("moved", "khac", "khac"),
        ("added", "khac", "van-ban"),
        ("added", "trang-1", "khac"),
        ("removed", "trang-1", "khac"),
        ("removed", "khac", "van-ban"),
        ("transition", "van-ban", "publish"),
    ]


def test_uid_is_kept_by_moves_and_renewed_by_copies(model):
    request, site = model.request, model.site
    a = ops.create(request, site, "Folder", {"title": "A"})
    b = ops.create(request, site, "Folder", {"title": "B"})
    page = ops.create(request, a, "Page", {"title": "P"})
    uid = page.uid
    ops.move(request, page, b)
    ops.rename(request, page, "p-moi")
    assert page.uid == uid and resolve(site, uid) is page
    copy = ops.copy(request, page, a)
    assert copy.uid != uid and resolve(site, copy.uid) is copy
    ops.delete(request, b)
    assert resolve(site, uid) is None and resolve(site, copy.uid) is copy


def test_copy_duplicates_blobs_and_resets_workflow(model):
    request, site = model.request, model.site
    folder = ops.create(request, site, "Folder", {"title": "Tệp"})
    data = {"file": {"data": base64.b64encode(b"noi dung tep").decode(), "filename": "bao-cao.txt"}}
    original = ops.create(request, folder, "File", data, "json")
    from core.workflow import workflow_of

    workflow_of(request, folder).transition(request, folder, "publish")
    copy = ops.copy(request, folder, site)
    assert copy.__name__ == "tep-1" and copy.workflow_state == "private"
    duplicate = copy["bao-cao-txt"]
    with duplicate.open() as handle:
        assert handle.read() == b"noi dung tep"
    ops.edit(
        request,
        duplicate,
        {"file": {"data": base64.b64encode(b"khac").decode()}},
        "json",
        partial=True,
    )
    with original.open() as handle:
        assert handle.read() == b"noi dung tep"  # the original's blob is its own


def test_moving_a_folder_into_itself_is_refused(model):
    request, site = model.request, model.site
    a = ops.create(request, site, "Folder", {"title": "A"})
    inner = ops.create(request, a, "Folder", {"title": "Trong"})
    with pytest.raises(ops.ValidationFailed) as failed:
        ops.move(request, a, inner)
    assert "target" in failed.value.errors
    assert inner.__parent__ is a and "a" in site


def test_name_tricks_are_refused_and_nothing_added(model):
    request, site = model.request, model.site
    before = list(site.keys())
    for name in ("../etc", "a/b", ".."):
        with pytest.raises(ops.ValidationFailed) as failed:
            ops.create(request, site, "Page", {"title": "x"}, name=name)
        assert "id" in failed.value.errors
    assert list(site.keys()) == before


def test_operations_check_permissions(model):
    request, site = model.request, model.site
    page = ops.create(request, site, "Page", {"title": "P"})
    anonymous = model.act_as(None)
    for call in (
        lambda: ops.create(anonymous, site, "Page", {"title": "x"}),
        lambda: ops.edit(anonymous, page, {"title": "y"}),
        lambda: ops.delete(anonymous, page),
        lambda: ops.rename(anonymous, page, "z"),
    ):
        with pytest.raises(HTTPForbidden):
            call()
    assert page.title == "P" and page.__name__ == "p"


def test_unknown_or_misplaced_type_is_refused(model):
    with pytest.raises(ops.ValidationFailed) as failed:
        ops.create(model.request, model.site, "NoSuchType", {"title": "x"})
    assert "@type" in failed.value.errors
    with pytest.raises(ops.ValidationFailed):
        ops.create(model.request, model.site, "Site", {"title": "x"})
