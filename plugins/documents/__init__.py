"""Quản lý văn bản và điều hành: the documents of the province.

- the public library of legal documents (:mod:`plugins.documents.library`);
- each unit's document office (``<unit>/van-thu``, :mod:`plugins.documents.office`):
  the incoming and outgoing registers (:mod:`plugins.documents.registered`), their
  numbering (:mod:`plugins.documents.numbering`), the direction and deadlines of
  incoming documents and the signing and issuing of outgoing ones
  (:mod:`plugins.documents.transitions`), the work files, the exchange between
  units of the portal (:mod:`plugins.documents.exchange`) and with outside
  agencies as edXML packages (:mod:`plugins.documents.edxml`), and signed PDFs
  (:mod:`plugins.documents.signatures`).
"""

from __future__ import annotations

from core.contenttypes import DESCRIPTION, TITLE
from core.hookspecs import hookimpl
from core.i18n import _
from core.types import ContentType
from plugins.documents.demo import cong_demo_data as cong_demo_data
from plugins.documents.indexing import add_listener
from plugins.documents.library import *  # noqa: F403 - the library's hooks (library.__all__)
from plugins.documents.limits import read_limits
from plugins.documents.office import TYPE_NAME, Office
from plugins.documents.office_workflow import WORKFLOW
from plugins.documents.office_workflow import cong_workflows as cong_workflows
from plugins.documents.registry import EVOLVE_STEP, create_registry
from plugins.documents.signatures import read_signatures
from plugins.documents.units import cong_subsite_created as cong_subsite_created
from plugins.documents.views_links import cong_navigation as cong_navigation

title = _("Quản lý văn bản")

TYPES = [
    ContentType(
        TYPE_NAME,
        Office,
        _("Quản lý văn bản"),
        fields=(TITLE, DESCRIPTION),
        addable_to=("Subsite",),
        allowed_children=(),
        workflow=WORKFLOW,
        description=_("Văn thư của đơn vị: sổ văn bản đến, văn bản đi, hồ sơ công việc."),
    ),
]


@hookimpl
def cong_content_types():
    return TYPES


@hookimpl
def cong_configure(config):
    read_limits(config.registry)
    read_signatures(config.registry)
    config.registry.documents_listeners = []
    config.add_directive("add_documents_listener", add_listener)
    config.include("plugins.documents.exchange")
    config.include("plugins.documents.edxml_mapping")
    config.include("plugins.documents.edxml_reports")
    config.add_evolve_step(EVOLVE_STEP, create_registry, new_sites=True)
    config.add_template_dir("plugins.documents:templates")
    config.include("plugins.documents.library")
    config.include("plugins.documents.workfiles_index")
    config.include("plugins.documents.views_registers")
    config.include("plugins.documents.pages")
    config.scan("plugins.documents", ignore=".tests")
