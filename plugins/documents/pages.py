"""The staff's pages of the registers (``views_*`` modules): their templates and
the handling slip's print form."""

from __future__ import annotations

from plugins.documents.handling_slip import register_slip


def includeme(config) -> None:
    config.add_template_dir("plugins.documents:templates/office")
    register_slip(config)
