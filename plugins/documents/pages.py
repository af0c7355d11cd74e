"""The staff's pages of the registers (``views_*`` modules): their templates, their
stylesheet and the handling slip's print form."""

from __future__ import annotations

from plugins.documents.handling_slip import register_slip
from plugins.documents.views_common import STATIC_VIEW


def includeme(config) -> None:
    config.add_template_dir("plugins.documents:templates/office")
    config.add_static_view(STATIC_VIEW, "plugins.documents:static/", cache_max_age=86400)
    register_slip(config)
