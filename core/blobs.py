"""Files and images kept in ZODB blobs, with image scales made by Pillow, and how
they are sent to browsers."""

from __future__ import annotations

import io
import os
from typing import TYPE_CHECKING
from urllib.parse import quote

from persistent import Persistent
from persistent.mapping import PersistentMapping
from pyramid.response import FileIter, Response
from ZODB.blob import Blob

if TYPE_CHECKING:  # the fields store what they parse here: no import at run time
    from core.fields import Upload

#: Bytes a download reads at a time: an encrypted blob's chunk, handed on uncopied.
BLOCK = 64 * 1024
#: Scale name -> longest side in pixels. Made once, when the image is saved.
SCALES = {"thumb": 128, "preview": 400, "large": 1024}


class BlobData:
    """Mixin for content that keeps one file in a blob."""

    blob: Blob | None = None
    filename = ""
    content_type = "application/octet-stream"
    size = 0

    def has_data(self) -> bool:
        return self.blob is not None

    def set_data(self, upload: Upload) -> None:
        self.blob = Blob(upload.data)
        self.filename = upload.filename
        self.content_type = upload.content_type
        self.size = len(upload.data)

    def open(self):
        """A readable file object of the stored bytes."""
        return self.blob.open("r")

    def file_info(self) -> dict:
        return {
            "filename": self.filename,
            "content-type": self.content_type,
            "size": self.size,
        }


class ImageData(BlobData):
    """Mixin for content that keeps an image and its scales."""

    width = height = 0
    scales: PersistentMapping | None = None

    def set_data(self, upload: Upload) -> None:
        from core.images import open_image

        super().set_data(upload)
        with open_image(upload.data) as img:
            self.width, self.height = img.size
            self.scales = PersistentMapping()
            for name, side in SCALES.items():
                if max(img.size) <= side:
                    continue
                scaled = img.copy()
                scaled.thumbnail((side, side))
                if scaled.mode not in ("RGB", "L"):
                    scaled = scaled.convert("RGB")
                out = io.BytesIO()
                scaled.save(out, "JPEG", quality=85)
                self.scales[name] = (Blob(out.getvalue()), scaled.size, out.tell())

    def scale(self, name: str):
        """``(blob, (width, height), size)`` of a scale, or the original if smaller."""
        if self.scales and name in self.scales:
            return self.scales[name]
        return (self.blob, (self.width, self.height), self.size)

    def file_info(self) -> dict:
        info = super().file_info()
        info.update(width=self.width, height=self.height)
        return info


class AttachedImage(ImageData, Persistent):
    """An image an object keeps in one of its attributes, with scales: a subsite's
    logo or banner, a news article's lead image (see
    :class:`core.fields.ImageAttribute`)."""


def blob_response(request, blob, content_type: str, filename: str | None) -> Response:
    """A response streaming ``blob`` (decrypted as it is read when encryption at rest
    is on; a range request seeks); with ``filename``, a Content-Disposition too."""
    committed = blob._p_blob_committed and not blob._p_blob_uncommitted
    handle = blob.open("r")
    size = handle.seek(0, io.SEEK_END)
    handle.seek(0)
    response = Response(content_type=content_type, conditional_response=True)
    response.app_iter = BlobIter(handle, BLOCK)
    response.content_length = size
    if committed:
        response.last_modified = os.path.getmtime(blob.committed())
    if filename:
        inline = content_type.startswith("image/") or content_type == "application/pdf"
        kind = "inline" if inline else "attachment"
        response.headers["Content-Disposition"] = f"{kind}; filename*=UTF-8''{quote(filename)}"
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    )
    response.cache_control.private = True
    return response


class BlobIter(FileIter):
    """The WSGI body of an open blob file; for a range request it seeks to the start."""

    def app_iter_range(self, start: int, stop: int | None):
        self.file.seek(start)
        return self._upto(None if stop is None else stop - start)

    def _upto(self, remaining: int | None):
        try:
            while remaining is None or remaining > 0:
                wanted = self.block_size if remaining is None else min(self.block_size, remaining)
                block = self.file.read(wanted)
                if not block:
                    return
                if remaining is not None:
                    remaining -= len(block)
                yield block
        finally:
            self.file.close()
