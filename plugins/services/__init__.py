"""Thủ tục hành chính: the public-service catalog, shared by province and units.

- :mod:`plugins.services.content`: the ``ServiceCatalog`` and ``Service`` types and
  the record's fields (:mod:`plugins.services.fields`), registered with their check
  by :mod:`plugins.services.types`;
- :mod:`plugins.services.vocabulary`: the fields (lĩnh vực) the province manages;
- :mod:`plugins.services.units`: which procedures a unit shows, without copies;
- :mod:`plugins.services.catalog_fields`: what browsing, statistics and the API
  read from catalog records.

Procedures at level 3 or 4 offer online submission where a plugin answers the
``cong_service_submission`` hook (the one-stop desk).
"""

from __future__ import annotations

from core.hookspecs import hookimpl
from core.i18n import _
from plugins.services.catalog_fields import cong_catalog_fields as cong_catalog_fields
from plugins.services.cli import cong_cli_commands as cong_cli_commands
from plugins.services.content import Service, ServiceCatalog, field_vocabulary
from plugins.services.demo import cong_demo_item as cong_demo_item
from plugins.services.navigation import cong_navigation as cong_navigation
from plugins.services.portlets import cong_portlets as cong_portlets
from plugins.services.structure import cong_site_structure as cong_site_structure
from plugins.services.types import TYPES
from plugins.services.units import cong_procedure as cong_procedure

__all__ = ["Service", "ServiceCatalog"]

title = _("Thủ tục hành chính")
#: The ``@vocabularies`` name of the fields (lĩnh vực) procedures belong to.
FIELDS_VOCABULARY = "cong.services.fields"


@hookimpl
def cong_content_types():
    return TYPES


@hookimpl
def cong_configure(config):
    from plugins.services.statistics import targets_of

    targets_of(config.registry)  # a bad cong.services_targets stops start-up
    config.add_template_dir("plugins.services:templates")
    config.add_static_view("services-static", "plugins.services:static/", cache_max_age=86400)
    config.scan("plugins.services", ignore=".tests")  # its tests are no views
    config.add_vocabulary(FIELDS_VOCABULARY, lambda request, context: field_vocabulary(request))
