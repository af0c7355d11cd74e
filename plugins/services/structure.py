"""The services plugin's structure in a site: the province's catalog of procedures.

``/thu-tuc-hanh-chinh``, where ``cong services import`` and the ``@@nhap`` page put
procedures and units find them, created the first time the plugin runs on a site
(see :mod:`core.structure`); one already there is left as it is. It is created
private: visitors see it (and the procedures in it) once its managers, having
filled it, publish it, not as an empty section of a new portal.
"""

from __future__ import annotations

from core import operations
from core.hookspecs import hookimpl
from plugins.services.content import CATALOG

#: The catalog folder's name (its URL segment) and first values.
CATALOG_NAME = "thu-tuc-hanh-chinh"
CATALOG_VALUES = {
    "title": "Thủ tục hành chính",
    "description": "Danh mục thủ tục hành chính dùng chung cho các sở, ngành và xã, "
    "phường: trình tự, hồ sơ, thời hạn, phí, lệ phí và biểu mẫu.",
}


@hookimpl
def cong_site_structure(request, site):
    """Give the site its catalog of procedures (private until published)."""
    if CATALOG_NAME not in site:
        operations.create(request, site, CATALOG, dict(CATALOG_VALUES), "json", CATALOG_NAME)
