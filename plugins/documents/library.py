"""The public library of legal documents (văn bản pháp quy): every unit's and the
province's, published, browsed, searched without accents, and served as JSON.

- :mod:`plugins.documents.legal`: the ``LegalDocument`` and ``LegalLibrary``
  types and a document's statuses; :mod:`plugins.documents.library_fields` its
  fields (kind, field, links, files) and :mod:`plugins.documents.library_types`
  their registration, with the checks that need the site;
- :mod:`plugins.documents.library_links`: the links between documents, kept
  both ways (a replaced document says so);
- :mod:`plugins.documents.library_catalog`: what listings read from the catalog;
  :mod:`plugins.documents.library_browse`: a browse with its filters and counts;
- :mod:`plugins.documents.library_views`, :mod:`plugins.documents.library_api`:
  the pages and the JSON; :mod:`plugins.documents.library_portlets`: "Văn bản mới";
- :mod:`plugins.documents.library_structure`: the libraries of the portal and the
  units; :mod:`plugins.documents.library_demo`: the demo's documents.

The hooks are named for the library (``specname`` gives the hook each
implements), so the plugin's other parts implement the same hooks beside them.
"""

from __future__ import annotations

from pyramid.config import Configurator

from core.hookspecs import hookimpl
from core.i18n import _
from plugins.documents.legal import DOCUMENT
from plugins.documents.library_catalog import library_catalog_fields
from plugins.documents.library_demo import library_demo_data
from plugins.documents.library_fields import FIELDS, KINDS
from plugins.documents.library_links import (
    library_document_added,
    library_document_modified,
    library_document_removed,
)
from plugins.documents.library_portlets import library_portlets
from plugins.documents.library_structure import (
    library_plugins_changed,
    library_site_structure,
    library_subsite_created,
)
from plugins.documents.library_types import TYPES

#: The ``@vocabularies`` of the kinds of documents and of their fields.
KINDS_VOCABULARY, FIELDS_VOCABULARY = "cong.documents.kinds", "cong.documents.fields"

__all__ = [
    "library_catalog_fields",
    "library_content_types",
    "library_demo_data",
    "library_document_added",
    "library_document_modified",
    "library_document_removed",
    "library_plugins_changed",
    "library_portlets",
    "library_province_lists",
    "library_site_structure",
    "library_subsite_created",
]


@hookimpl(specname="cong_content_types")
def library_content_types():
    return TYPES


@hookimpl(specname="cong_province_lists")
def library_province_lists():
    return [(DOCUMENT, _("Văn bản mới của các đơn vị"))]


def includeme(config: Configurator) -> None:
    """The library's templates, style sheet and vocabularies (its views are
    scanned with the plugin's)."""
    config.add_template_dir("plugins.documents:templates/library")
    config.add_static_view("legal-library-static", "plugins.documents:static/", cache_max_age=86400)
    config.add_vocabulary(KINDS_VOCABULARY, lambda request, context: KINDS)
    config.add_vocabulary(FIELDS_VOCABULARY, lambda request, context: FIELDS)
