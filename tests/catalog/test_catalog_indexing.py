"""Indexing through real requests: what is saved, published, shared or attached
through the web is found by the catalog as soon as the request has answered."""

from __future__ import annotations

import pytest

import catalog
from core.testing import add, upload
from tests.catalog.test_catalog_text import make_docx, make_pdf
from tests.core.views.test_sharing import share

BODY = (
    "<p>Từ ngày 1/7, người dân có thể <strong>nộp hồ sơ trực tuyến</strong> "
    "cấp đổi giấy phép lái xe trên Cổng dịch vụ công.</p>"
)
TITLE = "Cấp đổi giấy phép lái xe trực tuyến"
DOCX_WORD = "Quy chế phối hợp quản lý cụm công nghiệp Tân Trường"
PDF_WORD = "Báo cáo kết quả phòng chống thiên tai năm 2024"


@pytest.fixture
def search_as(model_of, app):
    """``search_as(login, **query)``: the titles ``login`` (None: a visitor) finds."""

    def run(login, **query):
        with model_of(app, login) as m:
            return sorted(r.title for r in catalog.search(m.request, **query).records)

    return run


def test_a_page_published_through_the_api_is_found_at_once(api, search_as, site_access):
    api.post_json("/", {"@type": "Page", "id": "gplx", "title": TITLE, "text": BODY}, status=201)
    assert search_as(None, text="giấy phép lái xe") == []  # private
    assert search_as("admin", text="giay phep lai xe") == [TITLE]
    api.post_json("/gplx/@workflow/publish", {})
    assert search_as(None, text="nộp hồ sơ trực tuyến") == [TITLE]  # words of the body
    assert search_as(None, text="nop ho so", types=["News"]) == []
    with site_access() as site:
        assert len(site.catalog.queue) == 0  # drained by the requests themselves


def test_an_edit_through_the_api_changes_what_is_found(api, search_as):
    api.post_json("/", {"@type": "Page", "id": "gplx", "title": TITLE}, status=201)
    api.post_json("/gplx/@workflow/publish", {})
    api.patch_json("/gplx", {"title": "Đổi giấy phép lái xe quốc tế"}, status=204)
    assert search_as(None, text="quốc tế") == ["Đổi giấy phép lái xe quốc tế"]
    assert search_as(None, text="trực tuyến") == []
    api.delete("/gplx", status=204)
    assert search_as(None, text="giấy phép") == []
    assert search_as("admin", path="/gplx") == []


@pytest.mark.parametrize(
    ("filename", "mime", "data", "words"),
    [
        (
            "quy-che.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            make_docx(["Quyết định ban hành", DOCX_WORD]),
            "cum cong nghiep tan truong",
        ),
        ("bao-cao.pdf", "application/pdf", make_pdf(["Ủy ban nhân dân", PDF_WORD]), "thiên tai"),
    ],
)
def test_the_words_of_an_attached_file_are_found(api, search_as, filename, mime, data, words):
    body = {"@type": "File", "title": "Tệp đính kèm", "file": upload(data, filename, mime)}
    api.post_json("/", body, status=201)  # a File at the top follows the portal: public
    assert search_as(None, text=words) == ["Tệp đính kèm"]


def test_sharing_a_folder_lets_a_user_find_its_private_pages(admin, model, search_as):
    folder = add(model, model.site, "Folder", title="Thanh tra", name="thanh-tra")
    add(model, folder, "Page", title="Kết luận thanh tra đất đai")
    model.site.principals.add_user("thanhtra", "Mat-khau-thanh-tra-1")
    model.commit()
    assert search_as("thanhtra", text="kết luận thanh tra") == []
    share(admin, "thanh-tra", {"principal": "thanhtra", "roles.thanhtra": "Reader"})
    assert search_as("thanhtra", text="kết luận thanh tra") == ["Kết luận thanh tra đất đai"]
    assert search_as("thanhtra", path="/thanh-tra") == ["Kết luận thanh tra đất đai", "Thanh tra"]
    share(admin, "thanh-tra", {"principal": "thanhtra"})  # nothing ticked: taken back
    assert search_as("thanhtra", text="kết luận thanh tra") == []
    assert search_as("thanhtra", path="/thanh-tra") == []
