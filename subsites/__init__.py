"""Department and commune sites: the Subsite type, the unit hierarchy, virtual
hosting, provisioning, per-subsite plugins, theme and admins, and provincial
aggregation.

The kernel already treats any :class:`core.interfaces.INavigationRoot` as the root
of its own navigation and breadcrumbs, and declares the ``cong_subsite_created``
hook; the Subsite type itself arrives with the subsites issue.
"""
