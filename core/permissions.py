"""Permission names and the site-wide default of which role holds which.

Workflow states override these per object: a state's permission map becomes the
object's ``__acl__`` (see :mod:`core.workflow`), and objects without one inherit.
Roles reach a user as ``role:<Name>`` principals (see :mod:`core.security`).
"""

from pyramid.authorization import ALL_PERMISSIONS, Allow, Authenticated, Deny, Everyone

VIEW = "view"
LIST = "list_contents"
ADD = "add"
EDIT = "edit"
DELETE = "delete"
SUBMIT = "submit"
REVIEW = "review"
SHARING = "sharing"
MANAGE_USERS = "manage_users"
#: Keeping the working-day calendar (Managers only: no role below holds it).
MANAGE_CALENDAR = "manage_calendar"
#: Reading the outbox and sending failed messages again (Managers only).
MANAGE_OUTBOX = "manage_outbox"
#: Reading and exporting the audit log (Managers only).
VIEW_AUDIT = "view_audit"
#: Finding, locking, unlocking and deleting citizens' accounts (Managers only).
MANAGE_CITIZENS = "manage_citizens"


def role(name: str) -> str:
    """The principal that stands for holding role ``name`` here."""
    return f"role:{name}"


#: Role -> permissions, for the site root (everything inherits from it).
ROOT_PERMISSIONS = {
    "SiteAdmin": (VIEW, LIST, ADD, EDIT, DELETE, SUBMIT, REVIEW, SHARING),
    "Editor": (VIEW, LIST, ADD, EDIT, DELETE, SUBMIT),
    "Contributor": (VIEW, LIST, ADD, SUBMIT),
    "Reviewer": (VIEW, LIST, REVIEW),
    "Owner": (VIEW, LIST, EDIT, DELETE, SUBMIT),
    "Reader": (VIEW, LIST),
}


def root_acl() -> list:
    """The ACL of the site root: Manager may do all, everyone may view."""
    acl = [(Allow, role("Manager"), ALL_PERMISSIONS), (Allow, Everyone, VIEW)]
    for name, permissions in ROOT_PERMISSIONS.items():
        acl.append((Allow, role(name), permissions))
    acl.append((Allow, Authenticated, "authenticated"))
    acl.append((Deny, Everyone, ALL_PERMISSIONS))
    return acl
