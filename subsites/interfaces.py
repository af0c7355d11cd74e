"""The subsites' public contracts.

A subsite is a navigation root: the kernel already gives every
:class:`core.interfaces.INavigationRoot` its own navigation, breadcrumbs and search
scope, so views written for navigation roots serve subsites too; and a unit's site
(:class:`core.interfaces.IUnitSite`), whose pages show its name and look.
"""

from zope.interface import Attribute

from core.interfaces import IUnitSite


class ISubsite(IUnitSite):
    """A unit's own site (a department, district or commune) inside the portal."""

    unit_kind = Attribute("The name of the unit's kind (see subsites.units).")
    parent_code = Attribute("The administrative code of the parent unit ('' = the province).")
    code = Attribute("The unit's administrative code (unique among subsites, may be '').")
    hostnames = Attribute("Tuple of lowercase host names that reach this subsite.")
    old_hostnames = Attribute("Host names it had before: they redirect to its current host.")
    theme = Attribute("A registered theme name ('' = the portal's theme).")
    colour = Attribute("The brand colour '#rrggbb' ('' = the theme's).")
    enabled_plugins = Attribute("Tuple of the names of the plugins enabled here.")
    in_province_listings = Attribute("False keeps all its items out of the provincial listings.")
