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


class IUnitSite(INavigationRoot):
    """A unit's own site below the portal (a department's, a commune's): the pages
    inside it show its name, contact details and look in their header and footer
    (see :mod:`core.branding`). The subsites' type provides it."""

    address = Attribute("The unit's postal address ('' when not given).")
    phone = Attribute("The unit's telephone number ('' when not given).")
    email = Attribute("The unit's e-mail address ('' when not given).")
    colour = Attribute("The brand colour '#rrggbb' ('' = the theme's).")
    logo = Attribute("Its logo (an image with scales, served at @@logo), or None.")
    banner = Attribute("Its banner (an image with scales, served at @@banner), or None.")


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


# what the kernel asks of the layers above it -------------------------------------------
# Core imports neither the catalog nor the subsites: it declares here what it needs of
# them, and they register a utility providing it (docs/decisions/0020).


class ISearch(Interface):
    """Listings and searches of the content tree, answered from indexes without
    loading the objects. Registered as a utility by the catalog; the kernel's pages
    list folders, the front page's sections and the main menu through it.

    Both methods answer a page of results with ``total`` (every match the
    requester may view) and ``records``: light records with ``uid``, ``path``,
    ``type_name``, ``title``, ``description``, ``created``, ``modified``,
    ``effective``, ``state``, ``subsite`` (the path of their navigation root) and
    ``url(request)``.
    """

    def search(request, **query):
        """What the requester may view that matches ``query``: ``path`` (an
        object's path: it and everything below it), ``depth`` (levels below
        ``path``: 1 for its children), ``types``, ``states``, ``sort_on`` (an
        index, ``"position"`` for the folders' order), ``sort_order``
        (``"ascending"`` or ``"descending"``), ``start`` and ``size``."""

    def children(request, folder, start=0, size=20):
        """The children of ``folder`` the requester may view, in the folder's
        order, ``size`` of them from ``start``."""


class IVirtualHosting(Interface):
    """Hosts of their own for parts of the site: registered as a utility by the
    layer that gives them (the subsites). Without one, the whole site is served on
    whatever host a request reached, and every URL is made on it."""

    def apply(request, site):
        """Called by the root factory for every request, with the site root: make
        the part of ``site`` the request's host names Pyramid's virtual root
        (``environ["HTTP_X_VHM_ROOT"]``), or raise an HTTP redirect to the address
        it has now. Returns nothing."""

    def home_url(request):
        """The address of the site's home page, with a final slash, from any host."""

    def canonical_url(request, obj):
        """The address of ``obj`` on the host it lives on, with a final slash."""

    def path_url(request, path, holder=None):
        """The URL, for this request, of the object at ``path`` (its resource path,
        as the catalog keeps it), with a final slash (``holder``: the path of its
        navigation root, when known)."""


class IPluginScope(Interface):
    """Where each running plugin is enabled: registered as a utility by the layer
    that enables plugins per part of the site (the subsites). Without one, every
    running plugin is enabled everywhere."""

    def disabled(request, obj):
        """The names (a frozenset) of the running plugins disabled where ``obj``
        is (``obj`` may be None: the portal's pages)."""
