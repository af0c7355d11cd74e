"""The user interface in Vietnamese (the default) and English."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from core import operations
from core.testing import add, login

LOCALE_DIR = Path(__file__).resolve().parents[2] / "core" / "locale"


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogs():
    """The .mo files, compiled from the .po files when missing or older (what
    ``make i18n`` does), before any application of this module starts."""
    for po in LOCALE_DIR.glob("*/LC_MESSAGES/cong.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalog = read_po(source)
            with mo.open("wb") as target:
                write_mo(target, catalog)


def login_button(page) -> str:
    """The text of the login form's submit button."""
    return page.html.find(id="login-form").find("button", type="submit").get_text(strip=True)


def test_the_default_language_is_vietnamese(testapp):
    page = testapp.get("/@@login")
    assert login_button(page) == "Đăng nhập"
    assert page.html.html["lang"] == "vi"
    assert 'for="login-name"' in page.text and "Tên đăng nhập" in page.text


def test_lang_en_shows_english(testapp):
    page = testapp.get("/@@login?lang=en")
    assert login_button(page) == "Log in"
    assert "User name" in page.text and "Password" in page.text
    assert "Đăng nhập" not in page.text
    assert page.html.html["lang"] == "en"


def test_accept_language_alone_keeps_vietnamese(testapp):
    """The portal speaks Vietnamese until the visitor chooses English in the page."""
    page = testapp.get("/@@login", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert login_button(page) == "Đăng nhập"
    assert page.html.html["lang"] == "vi"
    choice = page.html.select_one('.topbar-links a[hreflang="en"]')
    assert choice.get_text(strip=True) == "English"
    english = testapp.get(choice["href"])
    assert login_button(english) == "Log in"
    assert testapp.cookies["lang"] == "en"


def test_content_keeps_lang_vi_inside_an_english_interface(testapp, model):
    folder = add(model, model.site, "Folder", "published", name="tin-tuc", title="Tin tức")
    add(model, folder, "Page", "published", name="gio-lam-viec", title="Giờ làm việc",
        text="<p>Sáng 7 giờ</p>")  # fmt: skip
    model.commit()
    english = testapp.get("/tin-tuc/gio-lam-viec?lang=en").html
    assert english.html["lang"] == "en"
    assert english.h1["lang"] == "vi" and english.h1.get_text(strip=True) == "Giờ làm việc"
    assert english.select_one(".rich-text")["lang"] == "vi"
    assert english.select_one('.nav-list a[href$="/tin-tuc/"]')["lang"] == "vi"
    vietnamese = testapp.get("/tin-tuc/gio-lam-viec?lang=vi").html
    assert not vietnamese.h1.has_attr("lang")  # the page's own lang="vi" holds


def test_the_lang_cookie_keeps_the_choice(testapp):
    testapp.get("/@@login?lang=en")
    assert testapp.cookies["lang"] == "en"
    assert login_button(testapp.get("/@@login")) == "Log in"
    assert login_button(testapp.get("/@@login", headers={"Accept-Language": "vi"})) == "Log in"
    testapp.get("/@@login?lang=vi")
    assert login_button(testapp.get("/@@login")) == "Đăng nhập"


def test_an_unknown_lang_is_ignored(testapp):
    page = testapp.get("/@@login?lang=xx")
    assert login_button(page) == "Đăng nhập"
    assert "lang" not in testapp.cookies


def test_type_labels_and_workflow_states_are_translated(testapp, model):
    folder = operations.create(model.request, model.site, "Folder", {"title": "Tin tức"})
    operations.create(model.request, folder, "News", {"title": "Bài một"})
    model.commit()
    login(testapp)
    english = testapp.get("/tin-tuc/@@contents?lang=en").html
    assert "News" in [a.get_text(strip=True) for a in english.select(".page-actions a")]
    assert english.select_one(".state").get_text(strip=True) == "Private"
    vietnamese = testapp.get("/tin-tuc/@@contents?lang=vi").html
    assert "Tin tức" in [a.get_text(strip=True) for a in vietnamese.select(".page-actions a")]
    assert vietnamese.select_one(".state").get_text(strip=True) == "Riêng tư"


def test_every_message_has_an_english_translation():
    """Every message in the code and templates is in the English catalog, with
    the same ``${name}`` placeholders (run ``make i18n-extract`` and translate)."""
    pytest.importorskip("lingua", reason="the i18n extra (lingua) is not installed")
    from etc.i18n_extract import TRANSLATED, catalog_path, extract, problems, read_catalog

    template = extract()
    for msgid in ("Đăng nhập", "Đã xuất bản", "Gửi duyệt", "Tin tức", "Sửa lần cuối"):
        assert msgid in template  # template text, workflow titles, type labels, attributes
    assert problems(template, read_catalog(catalog_path(TRANSLATED), TRANSLATED)) == []


def test_extraction_reads_python_templates_and_workflows(tmp_path):
    """The extractor finds ``_()`` calls, translated template text with its
    ``${name}`` mappings and attributes, and workflow titles; nothing else."""
    pytest.importorskip("lingua", reason="the i18n extra (lingua) is not installed")
    from etc.i18n_extract import extract

    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "labels.py").write_text(
        'from core.i18n import _\nLABEL = _("Nhãn")\nOTHER = "không dịch"\n', encoding="utf-8"
    )
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "page.pt").write_text(
        '<div i18n:domain="cong"><p i18n:translate="">Xin chào <b i18n:name="who">${x}</b></p>'
        '<input title="Tìm kiếm" i18n:attributes="title"><p>Không dịch</p></div>',
        encoding="utf-8",
    )
    (tmp_path / "etc").mkdir()
    workflow = {
        "name": "w",
        "title": "Quy trình",
        "initial": "a",
        "states": {"a": {"title": "Trạng thái A"}},
        "transitions": {"go": {"title": "Đi", "from": ["a"], "to": "a", "permission": "view"}},
    }
    (tmp_path / "etc" / "w.json").write_text(json.dumps(workflow), encoding="utf-8")
    (tmp_path / "etc" / "data.json").write_text('{"title": "Không phải quy trình"}')
    found = {message.id for message in extract(tmp_path) if message.id}
    assert found == {"Nhãn", "Quy trình", "Tìm kiếm", "Trạng thái A", "Xin chào ${who}", "Đi"}
