"""The news plugin's content types: News, Announcement and Event.

All three are rich text published for a time (``effective`` .. ``expires``; see
:func:`core.security.is_active`). News carry an optional lead image (an image
object of its own, with Pillow scales, served by ``@@images/<scale>``) and a category
from the portal's list (setting ``cong.news_categories``: ``slug=Label`` lines).
An Announcement is a folder: its attachments are the File objects added to it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from zope.interface import implementer

from core.content import Folder, Item
from core.contenttypes import BODY, DESCRIPTION, TITLE
from core.fields import Bool, Choice, ImageAttribute, TextLine
from core.i18n import _
from core.types import ContentType
from plugins.news.fields import DateTime, Keywords
from plugins.news.interfaces import IAnnouncement, IEvent, INews

#: The categories of a portal without ``cong.news_categories``: ``(slug, label)``.
DEFAULT_CATEGORIES = (
    ("thoi-su", _("Thời sự")),
    ("kinh-te", _("Kinh tế")),
    ("van-hoa-xa-hoi", _("Văn hóa - Xã hội")),
    ("chinh-quyen", _("Chính quyền")),
)
NORMAL, IMPORTANT = "normal", "important"
PRIORITIES = ((NORMAL, _("Bình thường")), (IMPORTANT, _("Quan trọng")))


class Publication:
    """What News, Announcement and Event share: a body and a publication window."""

    text = ""
    effective: datetime | None = None
    expires: datetime | None = None
    exclude_from_province = False

    @property
    def date(self) -> datetime:
        """The time shown and sorted on: the publication time, else the creation."""
        return self.effective or self.created


@implementer(INews)
class News(Publication, Item):
    type_name = "News"
    image = None  # the lead image: a persistent ImageData with scales, or None
    image_caption = ""
    category = ""
    tags: tuple = ()
    featured = False
    source = ""


@implementer(IAnnouncement)
class Announcement(Publication, Folder):
    type_name = "Announcement"
    priority = NORMAL


@implementer(IEvent)
class Event(Publication, Item):
    type_name = "Event"
    start: datetime | None = None
    end: datetime | None = None
    all_day = False
    location = ""


EFFECTIVE = DateTime(
    "effective",
    _("Ngày đăng"),
    description=_("Để trống: đăng ngay khi được xuất bản. Một ngày sau hôm nay: hẹn giờ đăng."),
)
EXPIRES = DateTime("expires", _("Ngày hết hạn"), description=_("Để trống: không hết hạn."))
#: Keeps the item out of the province portal's lists (see subsites.aggregation).
EXCLUDE_FROM_PROVINCE = Bool("exclude_from_province", _("Không hiển thị ở cổng tỉnh"))
CATEGORY = Choice("category", _("Chuyên mục"), vocabulary=DEFAULT_CATEGORIES, default="")
SEARCHABLE = ("title", "description", "text")


def check_window(request, folder, obj, values) -> dict:
    """Refuse an expiry (or an event's end) before the start."""
    errors = {}
    effective = values.get("effective", getattr(obj, "effective", None))
    expires = values.get("expires", getattr(obj, "expires", None))
    if effective and expires and expires <= effective:
        errors["expires"] = _("Ngày hết hạn phải sau ngày đăng.")
    start = values.get("start", getattr(obj, "start", None))
    end = values.get("end", getattr(obj, "end", None))
    if start and end and end < start:
        errors["end"] = _("Thời điểm kết thúc phải sau thời điểm bắt đầu.")
    return errors


TYPES = [
    ContentType(
        "News",
        News,
        _("Tin tức"),
        fields=(
            TITLE,
            DESCRIPTION,
            BODY,
            ImageAttribute("image", _("Ảnh đại diện")),
            TextLine("image_caption", _("Chú thích ảnh"), default=""),
            CATEGORY,
            Keywords("tags", _("Từ khóa"), description=_("Cách nhau bởi dấu phẩy.")),
            Bool("featured", _("Tin nổi bật")),
            TextLine("source", _("Tác giả, nguồn tin"), default=""),
            EFFECTIVE,
            EXPIRES,
            EXCLUDE_FROM_PROVINCE,
        ),
        description=_("Một bài tin tức."),
        searchable_text=SEARCHABLE,
        check=check_window,
    ),
    ContentType(
        "Announcement",
        Announcement,
        _("Thông báo"),
        fields=(
            TITLE,
            DESCRIPTION,
            BODY,
            Choice("priority", _("Mức độ ưu tiên"), vocabulary=PRIORITIES, default=NORMAL),
            replace(EFFECTIVE, label=_("Hiệu lực từ")),
            replace(EXPIRES, label=_("Hiệu lực đến")),
            EXCLUDE_FROM_PROVINCE,
        ),
        description=_("Một thông báo chính thức, có thời hạn và tệp đính kèm."),
        searchable_text=SEARCHABLE,
        check=check_window,
        allowed_children=("File",),
    ),
    ContentType(
        "Event",
        Event,
        _("Sự kiện"),
        fields=(
            TITLE,
            DESCRIPTION,
            DateTime("start", _("Bắt đầu"), required=True),
            DateTime("end", _("Kết thúc")),
            Bool("all_day", _("Cả ngày")),
            TextLine("location", _("Địa điểm"), default=""),
            BODY,
            EFFECTIVE,
            EXPIRES,
            EXCLUDE_FROM_PROVINCE,
        ),
        description=_("Một sự kiện: thời gian, địa điểm."),
        searchable_text=SEARCHABLE,
        check=check_window,
    ),
]


def parse_categories(text: str) -> tuple[tuple[str, str], ...]:
    """``slug=Label`` lines (blank lines ignored) as ``(slug, label)`` pairs; raise
    ValueError for a line that is not one."""
    from core.names import NAME_RE

    pairs = []
    for line in text.splitlines():
        if not line.strip():
            continue
        slug, sep, label = line.partition("=")
        slug, label = slug.strip(), label.strip()
        if not sep or not label or not NAME_RE.match(slug):
            raise ValueError(f"cong.news_categories: not a 'slug=Label' line: {line.strip()!r}")
        pairs.append((slug, label))
    return tuple(pairs)


def categories(registry) -> tuple[tuple[str, str], ...]:
    """The portal's news categories as ``(slug, label)`` pairs."""
    return getattr(registry, "cong_news_categories", DEFAULT_CATEGORIES)


def category_label(request, slug: str) -> str:
    """The (translated) label of category ``slug`` ('' if unknown)."""
    label = dict(categories(request.registry)).get(slug)
    return request.localizer.translate(label) if label else ""


def configure_categories(config) -> None:
    """Give the News type the categories of setting ``cong.news_categories``."""
    text = config.registry.settings.get("cong.news_categories", "")
    vocabulary = parse_categories(text) if text.strip() else DEFAULT_CATEGORIES
    config.registry.cong_news_categories = vocabulary
    if vocabulary == DEFAULT_CATEGORIES:
        return

    def register():
        from core.types import get_types

        types = get_types(config.registry)
        news = types["News"]
        fields = tuple(
            replace(f, vocabulary=vocabulary) if f.name == "category" else f for f in news.fields
        )
        types.add(replace(news, fields=fields))

    config.action(None, register)
