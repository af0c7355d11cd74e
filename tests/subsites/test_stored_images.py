"""Images stored before their class moved: a subsite's logo, banner, and a news
article's lead image were kept as ``subsites.content.SubsiteImage``, now as
:class:`core.blobs.AttachedImage` (the class of :class:`core.fields.ImageAttribute`)."""

from __future__ import annotations

import webtest
from persistent import Persistent

import subsites.content
from core import main
from core.blobs import ImageData
from core.fields import Upload
from core.testing import ModelRequest, png_bytes
from subsites.provisioning import create_subsite


class SubsiteImage(ImageData, Persistent):
    """The class the images had, pickled under its old name."""


SubsiteImage.__module__ = "subsites.content"


def close(app) -> None:
    for db in app.registry._zodb_databases.values():
        db.close()


def test_a_logo_stored_under_the_old_class_is_still_served(settings, monkeypatch):
    with monkeypatch.context() as old_code:
        old_code.setattr(subsites.content, "SubsiteImage", SubsiteImage, raising=False)
        app = main({}, **settings)
        model = ModelRequest(app)
        values = {"title": "Xã Tân Phú", "unit_kind": "commune"}
        subsite = create_subsite(model.request, model.site, values)
        subsite.logo = SubsiteImage()
        subsite.logo.set_data(Upload("logo.png", "image/png", png_bytes(64, 64)))
        model.commit()
        model.close()
        close(app)
    app = main({}, **settings)  # today's code reads what the old one stored
    try:
        logo = webtest.TestApp(app).get("/xa-tan-phu/@@logo")
        assert (logo.content_type, logo.body) == ("image/png", png_bytes(64, 64))
    finally:
        close(app)
