"""The news plugin's model: News, Announcement and Event, their fields, readable
names from Vietnamese titles, the catalog fields, the portal's categories, and
the evolve step for items stored before."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from BTrees.OOBTree import OOBTree

import catalog
from core import operations as ops
from core.names import choose_name, slugify
from core.operations import ValidationFailed
from core.testing import add, make_settings, png_bytes, upload
from core.workflow import workflow_of
from plugins.news.content import Announcement
from plugins.news.evolve import evolve_publications

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def news_folder(model):
    return add(model, model.site, "Folder", "published", title="Tin tức", name="tin-tuc")


# readable names ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Cấp giấy phép xây dựng", "cap-giay-phep-xay-dung"),
        ("Đường Điện Biên Phủ được mở rộng", "duong-dien-bien-phu-duoc-mo-rong"),
        (
            "Hội nghị tổng kết năm 2025: “Chuyển đổi số”!",
            "hoi-nghi-tong-ket-nam-2025-chuyen-doi-so",
        ),
        ("Thủy lợi - hoà bình - hòa thuận", "thuy-loi-hoa-binh-hoa-thuan"),
        ("???", "noi-dung"),
    ],
)
def test_names_are_made_from_vietnamese_titles(title, name):
    assert slugify(title) == name


def test_a_name_made_from_decomposed_accents_is_the_same():
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Cấp giấy phép xây dựng")
    assert slugify(decomposed) == "cap-giay-phep-xay-dung"


def test_names_are_unique_in_their_folder(model, news_folder):
    first = add(model, news_folder, "News", title="Cấp giấy phép xây dựng")
    second = add(model, news_folder, "News", title="Cấp giấy phép xây dựng")
    third = add(model, news_folder, "Announcement", title="Cấp giấy phép  xây dựng!")
    assert [first.__name__, second.__name__, third.__name__] == [
        "cap-giay-phep-xay-dung",
        "cap-giay-phep-xay-dung-1",
        "cap-giay-phep-xay-dung-2",
    ]
    assert choose_name(news_folder, "Cấp giấy phép xây dựng") == "cap-giay-phep-xay-dung-3"


# fields ----------------------------------------------------------------------------------
def test_news_keeps_its_fields_and_the_catalog_its_metadata(model, news_folder):
    news = add(
        model,
        news_folder,
        "News",
        state="published",
        title="Khánh thành cầu Hòa Bình",
        description="Cây cầu nối hai xã.",
        text="<p>Sáng nay <script>alert(1)</script>cầu được thông xe.</p>",
        image=upload(png_bytes(900, 600), "cau.png", "image/png"),
        image_caption="Cầu Hòa Bình ngày thông xe",
        category="kinh-te",
        tags="giao thông, cầu đường,\nGiao thông , nông thôn mới",
        featured=True,
        source="Trung tâm Văn hóa - Thông tin",
        effective="2025-03-08T07:30",
        expires="2025-12-31",
    )
    assert "<script>" not in news.text
    assert news.tags == ("giao thông", "cầu đường", "nông thôn mới")
    assert news.effective == datetime(2025, 3, 8, 7, 30, tzinfo=VN)
    assert news.expires == datetime(2025, 12, 31, tzinfo=VN)
    assert news.image.width == 900 and news.image.scale("preview")[1] == (400, 267)
    (record,) = catalog.search(model.request, path="/tin-tuc", types=("News",)).records
    assert record.metadata["category"] == "kinh-te"
    assert record.metadata["featured"] is True
    assert record.metadata["image"] is True
    assert record.metadata["expires"] == datetime(2025, 12, 31, tzinfo=VN)
    assert record.effective == datetime(2025, 3, 8, 0, 30, tzinfo=UTC)
    tagged = catalog.search(model.request, fields={"tags": "cầu đường"})
    assert [r.title for r in tagged.records] == ["Khánh thành cầu Hòa Bình"]


def test_an_item_published_without_a_date_is_dated_when_published(model, news_folder):
    news = add(model, news_folder, "News", title="Tin không hẹn giờ")
    assert news.effective is None
    workflow_of(model.request, news).transition(model.request, news, "publish")
    assert news.effective is not None
    (record,) = catalog.search(model.request, path="/tin-tuc", types=("News",)).records
    assert record.effective == news.effective


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"category": "the-thao"}, "category"),
        ({"effective": "2025-02-30"}, "effective"),
        ({"effective": "2025-03-10", "expires": "2025-03-01"}, "expires"),
        ({"tags": "x" * 61}, "tags"),
        ({"tags": ",".join(f"t{n}" for n in range(200_000))}, "tags"),
        ({"image": upload(b"not an image", "a.png", "image/png")}, "image"),
    ],
)
def test_bad_news_values_are_refused_and_nothing_is_added(model, news_folder, values, field):
    with pytest.raises(ValidationFailed) as refused:
        add(model, news_folder, "News", title="Tin lỗi", **values)
    assert field in refused.value.errors
    assert len(news_folder) == 0


def test_an_announcement_holds_its_attachments_and_nothing_else(model):
    folder = add(model, model.site, "Folder", title="Thông báo", name="thong-bao")
    notice = add(model, folder, "Announcement", title="Lịch tiếp công dân", priority="important")
    assert [ct.name for ct in ops.addable_types(model.request, notice)] == ["File"]
    add(model, notice, "File", file=upload(b"%PDF-1.4 lich", "lich.pdf", "application/pdf"))
    assert notice.keys() == ["lich-pdf"]
    with pytest.raises(ValidationFailed):
        add(model, notice, "Page", title="Trang lạc chỗ")
    with pytest.raises(ValidationFailed) as refused:
        add(model, folder, "Announcement", title="Sai mức", priority="khan-cap")
    assert "priority" in refused.value.errors


def test_an_event_needs_a_start_and_an_end_after_it(model):
    folder = add(model, model.site, "Folder", title="Sự kiện", name="su-kien")
    with pytest.raises(ValidationFailed) as refused:
        add(model, folder, "Event", title="Hội chợ")
    assert "start" in refused.value.errors
    with pytest.raises(ValidationFailed) as refused:
        add(model, folder, "Event", title="Hội chợ", start="2025-04-10T08:00",
            end="2025-04-09T17:00")  # fmt: skip
    assert "end" in refused.value.errors
    event = add(model, folder, "Event", title="Hội chợ", start="2025-04-10T08:00",
                end="2025-04-12T17:00", all_day=False, location="Sân vận động")  # fmt: skip
    (record,) = catalog.search(model.request, types=("Event",)).records
    assert record.metadata["event_start"] == datetime(2025, 4, 10, 8, tzinfo=VN)
    assert record.metadata["event_end"] == event.end


# the portal's categories -------------------------------------------------------------------
def test_the_categories_come_from_the_settings(tmp_path, model_of):
    from core import main

    settings = make_settings(
        tmp_path / "var", **{"cong.news_categories": "\nnong-nghiep = Nông nghiệp\ny-te=Y tế\n"}
    )
    app = main({}, **settings)
    try:
        with model_of(app) as m:
            folder = add(m, m.site, "Folder", title="Tin tức")
            news = add(m, folder, "News", title="Vụ lúa đông xuân", category="nong-nghiep")
            assert news.category == "nong-nghiep"
            with pytest.raises(ValidationFailed):
                add(m, folder, "News", title="Thời sự", category="thoi-su")
    finally:
        for db in app.registry._zodb_databases.values():
            db.close()


def test_a_bad_categories_setting_stops_start_up(tmp_path):
    from core import main

    settings = make_settings(tmp_path / "var", **{"cong.news_categories": "khong co dau bang"})
    with pytest.raises(Exception, match="slug=Label"):
        main({}, **settings)


# evolve -------------------------------------------------------------------------------------
def test_items_stored_before_get_times_and_folderish_announcements(app, model):
    folder = add(model, model.site, "Folder", title="Thông báo", name="thong-bao")
    notice = add(model, folder, "Announcement", title="Thông báo cũ")
    news = add(model, folder, "News", title="Tin cũ")
    # as the previous version stored them: a date, and an announcement without children
    news.effective = date(2024, 5, 20)
    for name in ("_data", "_count", "_key_of", "_name_at"):
        delattr(notice, name)
    model.commit()
    evolve_publications(model.site)
    assert news.effective == datetime(2024, 5, 20, tzinfo=VN)
    assert isinstance(notice, Announcement) and isinstance(notice._data, OOBTree)
    add(model, notice, "File", file=upload(b"%PDF-1.4", "a.pdf", "application/pdf"))
    assert len(notice) == 1


def test_the_evolve_step_is_registered_and_recorded_on_new_sites(app, model):
    from plugins.news.evolve import PUBLICATION_STEP

    assert PUBLICATION_STEP in model.site.evolved


def test_the_month_of_publication_is_counted_in_vietnam_time(model, news_folder):
    from plugins.news.listings import archive_months

    add(model, news_folder, "News", "published", title="Cuối tháng ba",
        effective="2025-03-31T23:30")  # fmt: skip
    add(model, news_folder, "News", "published", title="Đầu tháng tư",
        effective="2025-04-01T01:00")  # 31 March in UTC  # fmt: skip
    add(model, news_folder, "News", title="Bản nháp tháng tư", effective="2025-04-02")
    model.commit()
    model.act_as(None)
    months = [(m.year, m.month, m.count) for m in archive_months(model.request, news_folder)]
    assert months == [(2025, 4, 1), (2025, 3, 1)]


def test_sites_made_before_the_month_index_get_it_at_start_up(
    app, model, news_folder, data_dir, model_of
):
    from core import main
    from plugins.news.evolve import MONTH_STEP
    from plugins.news.listings import archive_months

    add(model, news_folder, "News", "published", title="Tin tháng năm",
        effective="2024-05-20")  # fmt: skip
    add(model, news_folder, "Event", "published", title="Hội thao",
        effective="2024-06-01", start="2024-06-10T08:00")  # fmt: skip
    site_catalog = catalog.catalog_of(model.site)
    del site_catalog.indexes["month"]  # as a site stored before the index
    del model.site.evolved[MONTH_STEP]
    model.commit()
    queued = len(site_catalog.queue)
    model.close()
    for db in app.registry._zodb_databases.values():
        db.close()
    restarted = main({}, **make_settings(data_dir))
    try:
        with model_of(restarted, None) as m:
            assert MONTH_STEP in m.site.evolved
            months = [(x.year, x.month, x.count) for x in archive_months(m.request, m.site)]
            assert months == [(2024, 6, 1), (2024, 5, 1)]
            assert len(catalog.catalog_of(m.site).queue) == queued  # no text indexed again
    finally:
        for db in restarted.registry._zodb_databases.values():
            db.close()
