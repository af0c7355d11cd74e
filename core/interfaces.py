"""The kernel's public contracts, in one place.

Views are registered on these interfaces (``context=IFolder``), never on classes,
so a plugin's type that provides an interface gets the views written for it.
"""

from zope.interface import Attribute, Interface


class IContent(Interface):
    """Any object in the content tree."""

    __name__ = Attribute("The object's name in its parent folder (its URL segment).")
    __parent__ = Attribute("The containing folder, or None for the site root.")
    uid = Attribute("A stable unique id (hex string); kept across moves and renames.")
    type_name = Attribute("The registered content-type name, e.g. 'Page'.")
    title = Attribute("Title (plain text).")
    description = Attribute("Short summary (plain text).")
    created = Attribute("Creation time (aware datetime, UTC).")
    modified = Attribute("Last modification time (aware datetime, UTC).")
    creators = Attribute("Tuple of user ids who created the object.")
    workflow_state = Attribute("Current workflow state name.")


class IFolder(IContent):
    """Content that contains other content, in an explicit order."""


class ISite(IFolder):
    """The site root: the provincial portal."""


class INavigationRoot(IFolder):
    """A folder whose subtree has its own navigation (the site, later subsites)."""


class IPage(IContent):
    """A page of rich text."""


class IFile(IContent):
    """A downloadable file kept in a ZODB blob."""


class IImage(IFile):
    """An image kept in a ZODB blob, with scales."""


class ILink(IContent):
    """A link to another address."""


class IRichText(IContent):
    """Content with a sanitised HTML body in ``text`` (pages, news...)."""
