"""Field validation: what forms and the API accept and refuse."""

import base64
import io

import pytest
from PIL import Image

from core.contenttypes import Page
from core.fields import URL, Choice, Date, ImageField, Invalid, RichText, TextLine, apply_values


def test_textline_collapses_whitespace_and_keeps_markup_as_text():
    field = TextLine("title", "Tiêu đề", required=True)
    assert field.parse("  Xin   chào <script>x</script>\n", "form") == "Xin chào <script>x</script>"


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_required_field_refuses_empty(raw):
    with pytest.raises(Invalid):
        TextLine("title", "Tiêu đề", required=True).parse(raw, "form")


def test_wrong_json_type_is_refused():
    with pytest.raises(Invalid):
        TextLine("title", "Tiêu đề").parse(42, "json")


def test_too_long_is_refused():
    with pytest.raises(Invalid):
        TextLine("title", "t", max_length=10).parse("x" * 11, "form")


def test_richtext_is_sanitised():
    html = '<p onclick="steal()">Chào</p><script>alert(1)</script><a href="javascript:x">y</a>'
    clean = RichText("text", "Nội dung").parse(html, "form")
    assert "script" not in clean and "onclick" not in clean and "javascript" not in clean
    assert "<p>Chào</p>" in clean


@pytest.mark.parametrize("good", ["https://dichvucong.gov.vn", "mailto:a@b.vn", "/tin-tuc"])
def test_url_accepts(good):
    assert URL("url", "u").parse(good, "form") == good


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "ftp://x", "not a url", "data:text/html,x"])
def test_url_refuses(bad):
    with pytest.raises(Invalid):
        URL("url", "u").parse(bad, "form")


def test_date_and_choice():
    assert Date("d", "d").parse("2026-11-21", "form").day == 21
    with pytest.raises(Invalid):
        Date("d", "d").parse("21/11/2026", "form")
    choice = Choice("c", "c", vocabulary=(("a", "A"),))
    assert choice.parse("a", "form") == "a"
    for bad in ("b", ["a"], {"a": 1}):
        with pytest.raises(Invalid):
            choice.parse(bad, "json")


def png_bytes():
    out = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(out, "PNG")
    return out.getvalue()


def test_image_field_accepts_images_and_refuses_other_bytes():
    field = ImageField("image", "Ảnh", required=True)
    good = {
        "data": base64.b64encode(png_bytes()).decode(),
        "filename": "a.png",
        "content-type": "image/png",
    }
    assert field.parse(good, "json").filename == "a.png"
    bad = dict(good, data=base64.b64encode(b"not an image").decode())
    with pytest.raises(Invalid):
        field.parse(bad, "json")
    with pytest.raises(Invalid):
        field.parse(dict(good, data="@@@not base64"), "json")


def test_apply_values_stores_nothing_when_one_field_fails():
    page = Page(title="Cũ", text="<p>cũ</p>")
    fields = (TextLine("title", "t", required=True), RichText("text", "n"))
    errors = apply_values(fields, page, {"title": "", "text": "<p>mới</p>"}, "form")
    assert set(errors) == {"title"}
    assert page.title == "Cũ" and page.text == "<p>cũ</p>"


def test_apply_values_partial_leaves_absent_fields():
    page = Page(title="Cũ", text="<p>cũ</p>")
    fields = (TextLine("title", "t", required=True), RichText("text", "n"))
    assert apply_values(fields, page, {"text": "<p>mới</p>"}, "json", partial=True) == {}
    assert page.title == "Cũ" and page.text == "<p>mới</p>"
