"""The built-in content types: Folder, Page, File, Image and Link."""

from zope.interface import implementer

from core.blobs import BlobData, ImageData
from core.content import Folder, Item
from core.fields import URL, FileField, ImageField, RichText, Text, TextLine
from core.i18n import _
from core.interfaces import IFile, IImage, ILink, IPage, IRichText
from core.types import ContentType

TITLE = TextLine("title", _("Tiêu đề"), required=True)
DESCRIPTION = Text("description", _("Mô tả"), max_length=1000, widget="textarea")
BODY = RichText("text", _("Nội dung"))


@implementer(IPage, IRichText)
class Page(Item):
    """A page of rich text."""

    type_name = "Page"
    text = ""


@implementer(IFile)
class File(BlobData, Item):
    """A downloadable file."""

    type_name = "File"


@implementer(IImage)
class Image(ImageData, Item):
    """An image with scales."""

    type_name = "Image"


@implementer(ILink)
class Link(Item):
    """A link to another address."""

    type_name = "Link"
    url = ""


TYPES = (
    ContentType(
        "Folder",
        Folder,
        _("Thư mục"),
        fields=(TITLE, DESCRIPTION),
        description=_("Chứa các nội dung khác, theo thứ tự."),
    ),
    ContentType(
        "Page",
        Page,
        _("Trang"),
        fields=(TITLE, DESCRIPTION, BODY),
        description=_("Một trang văn bản có định dạng."),
        searchable_text=("title", "description", "text"),
    ),
    ContentType(
        "File",
        File,
        _("Tệp tin"),
        fields=(
            TextLine("title", _("Tiêu đề")),
            DESCRIPTION,
            FileField("file", _("Tệp"), required=True),
        ),
        workflow="one_state",
        description=_("Một tệp để tải về."),
    ),
    ContentType(
        "Image",
        Image,
        _("Hình ảnh"),
        fields=(
            TextLine("title", _("Tiêu đề")),
            DESCRIPTION,
            ImageField("image", _("Ảnh"), required=True),
        ),
        workflow="one_state",
        description=_("Một hình ảnh, với các cỡ thu nhỏ."),
    ),
    ContentType(
        "Link",
        Link,
        _("Liên kết"),
        fields=(TITLE, DESCRIPTION, URL("url", _("Địa chỉ"), required=True)),
        description=_("Liên kết tới một địa chỉ khác."),
    ),
)


def includeme(config) -> None:
    from core.site import SITE_TYPE

    for ct in (*TYPES, SITE_TYPE):
        config.add_content_type(ct)
