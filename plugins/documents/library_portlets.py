"""The "Văn bản mới" portlet: the documents issued last in the navigation root's
library (at the portal, the whole province's), with a link to the library.

Read from catalog records only, and shared until the next commit by requesters
alike (:meth:`core.ui.UI.cached`).
"""

from __future__ import annotations

from core.hookspecs import hookimpl
from core.i18n import _
from core.portlets import Portlet
from core.theme import render_template
from core.ui import get_ui
from plugins.documents.legal import SECTION, today
from plugins.documents.library_browse import LibraryQuery
from plugins.documents.library_listing import rows, scope_of

#: The portlet's name (home pages name portlets by it) and how many documents it lists.
NAME = "legal-documents"
COUNT = 5


def new_documents(request, context) -> str:
    """The box's body: the latest documents, or '' when there are none."""
    ui = get_ui(request)
    root = ui.nav_root

    def compute() -> str:
        page = LibraryQuery(size=COUNT).run(request, scope_of(root), facets=False)
        if not page.records:
            return ""
        library = root.get(SECTION[0])
        more_url = ui.url(library) if library is not None else ""
        found = rows(request, page.records)
        return render_template(request, "legal_portlet.pt", rows=found, more_url=more_url)

    return ui.cached(f"legal.portlet {today()}", compute)


@hookimpl(specname="cong_portlets")
def library_portlets(request, context):
    """ "Văn bản mới"."""
    return [Portlet(NAME, _("Văn bản mới"), new_documents, order=25)]
