"""Files and images kept in ZODB blobs, with image scales made by Pillow."""

from __future__ import annotations

import io

from persistent.mapping import PersistentMapping
from ZODB.blob import Blob

from core.fields import Upload

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
