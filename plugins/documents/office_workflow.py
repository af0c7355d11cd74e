"""Who sees a unit's document office as content: its staff, not the public.

The office (``<unit>/van-thu``) is a section of the unit's site, but an internal
one: its workflow has one state whose view permission is held by the unit's
Clerks, Leaders and Specialists (and its SiteAdmins, who set it up; Managers hold
everything). So visitors never find it in the navigation, the sitemap, listings
or search (the catalog indexes who may view it), and a visitor opening its address
is asked to log in. What its pages show is decided by :mod:`plugins.documents.access`.
"""

from __future__ import annotations

from core.hookspecs import hookimpl
from core.workflow import workflow_from_dict

#: The name of the office's workflow.
WORKFLOW = "documents_office"
#: The roles that see the office (its pages then ask for more).
VIEWERS = ["Clerk", "Leader", "Specialist", "SiteAdmin"]

OFFICE_WORKFLOW = workflow_from_dict(
    {
        "name": WORKFLOW,
        "title": "Văn thư nội bộ",
        "initial": "internal",
        "states": {
            "internal": {
                "title": "Nội bộ",
                "permissions": {
                    "view": VIEWERS,
                    "list_contents": ["SiteAdmin"],
                    "edit": ["SiteAdmin"],
                    "delete": ["SiteAdmin"],
                },
            }
        },
    }
)


@hookimpl
def cong_workflows():
    return [OFFICE_WORKFLOW]
