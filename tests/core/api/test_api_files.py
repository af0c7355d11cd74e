"""Files and images through the JSON API: base64 in, the same bytes out."""

import base64
import io

import pytest
from PIL import Image


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def upload(data: bytes, filename: str, content_type: str) -> dict:
    return {
        "data": base64.b64encode(data).decode("ascii"),
        "encoding": "base64",
        "filename": filename,
        "content-type": content_type,
    }


PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


def test_a_file_posted_in_base64_downloads_as_the_same_bytes(api):
    body = {"@type": "File", "file": upload(PDF, "Quyết định 12.pdf", "application/pdf")}
    data = api.post_json("/", body, status=201).json
    assert data["title"] == "Quyết định 12.pdf"
    info = data["file"]
    assert info["filename"] == "Quyết định 12.pdf"
    assert info["content-type"] == "application/pdf"
    assert info["size"] == len(PDF)
    assert info["download"] == data["@id"] + "/@@download"
    download = api.get(info["download"])
    assert download.body == PDF
    assert download.content_type == "application/pdf"


def test_patching_a_file_replaces_its_bytes(api):
    data = api.post_json("/", {"@type": "File", "file": upload(PDF, "a.pdf", "application/pdf")})
    path = data.json["@id"]
    api.patch_json(path, {"file": upload(b"new content", "b.txt", "text/plain")}, status=204)
    info = api.get(path).json["file"]
    assert (info["filename"], info["size"]) == ("b.txt", 11)
    assert api.get(info["download"]).body == b"new content"


def test_an_image_gets_its_size_and_scales(api):
    data = api.post_json(
        "/",
        {
            "@type": "Image",
            "title": "Bản đồ",
            "image": upload(png(800, 400), "ban-do.png", "image/png"),
        },
    ).json
    image = data["image"]
    assert (image["width"], image["height"]) == (800, 400)
    assert image["content-type"] == "image/png"
    assert api.get(image["download"]).body == png(800, 400)
    thumb = image["scales"]["thumb"]
    assert (thumb["width"], thumb["height"]) == (128, 64)
    scaled = api.get(thumb["download"])
    assert scaled.content_type == "image/jpeg"
    assert Image.open(io.BytesIO(scaled.body)).size == (128, 64)


@pytest.mark.parametrize(
    "body, field",
    [
        ({"@type": "File"}, "file"),
        ({"@type": "File", "file": "plain text"}, "file"),
        ({"@type": "File", "file": {"data": "%%% not base64 %%%"}}, "file"),
        ({"@type": "File", "file": {"data": ""}}, "file"),
        ({"@type": "Image", "image": upload(b"not an image", "x.png", "image/png")}, "image"),
        ({"@type": "Image", "image": upload(png(10, 10), "x.pdf", "application/pdf")}, "image"),
    ],
)
def test_bad_uploads_are_refused_by_field_and_store_nothing(api, body, field):
    before = api.get("/").json
    response = api.post_json("/", body, status=400)
    assert [e["field"] for e in response.json["errors"]] == [field]
    assert api.get("/").json == before


def test_a_refused_file_patch_keeps_the_stored_bytes(api):
    path = api.post_json("/", {"@type": "File", "file": upload(PDF, "a.pdf", "application/pdf")})
    path = path.json["@id"]
    before = api.get(path).json
    api.patch_json(path, {"file": {"data": "@@@"}}, status=400)
    assert api.get(path).json == before
    assert api.get(before["file"]["download"]).body == PDF


def test_an_upload_above_the_limit_is_413_and_stores_nothing(api):
    before = api.get("/").json
    big = upload(b"x" * (2 * 1024 * 1024 + 1), "big.bin", "application/octet-stream")
    response = api.post_json("/", {"@type": "File", "file": big}, status=413)
    assert response.json["type"] == "RequestEntityTooLarge"
    assert "2 MB" in response.json["message"]
    assert api.get("/").json == before
