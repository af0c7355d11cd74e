"""The plugin API: every hook a plugin may implement.

A plugin is a module (or object) named in the ``cong.plugins`` entry-point group
and listed in the ini's ``cong.plugins`` setting; it implements any of these hooks
with the :data:`hookimpl` marker::

    from core.hookspecs import hookimpl

    @hookimpl
    def cong_content_types():
        return [ContentType("Report", Report, _("Báo cáo"), ...)]

Hooks that return a value are called for every plugin and get a list of results.
Hooks named ``cong_object_*`` and ``cong_workflow_transition`` are events: they
are called inside the transaction of the change, after it is made, and may change
other content or refuse the change by raising an exception (the whole transaction
is then aborted, nothing is stored).
"""

from __future__ import annotations

import pluggy

PROJECT = "cong"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# start-up ---------------------------------------------------------------------------
@hookspec
def cong_configure(config):
    """Called once at start-up, after the kernel is configured and before the
    configuration is committed. May add views, routes, static views, subscribers,
    settings-driven behaviour: anything a Pyramid ``includeme`` does."""


@hookspec
def cong_content_types():
    """Called once at start-up. Return a list of :class:`core.types.ContentType`
    to register; a name already registered (by the kernel or another plugin) stops
    start-up with a conflict error."""


@hookspec
def cong_workflows():
    """Called once at start-up. Return a list of :class:`core.workflow.Workflow`
    (for instance from :func:`core.workflow.load_workflow` on a JSON file)."""


@hookspec
def cong_roles():
    """Called once at start-up. Return a list of :class:`core.roles.Role` that may
    then be granted globally or on folders (e.g. Clerk, Leader, Specialist)."""


@hookspec
def cong_catalog_fields():
    """Called once at start-up. Return a list of :class:`catalog.fields.CatalogField`:
    extra values (e.g. a document's number or a procedure's field) the catalog
    indexes for every object that has them."""


@hookspec
def cong_cli_commands(subparsers):
    """Called when the ``cong`` command line starts. Add sub-commands to the
    ``argparse`` ``subparsers``; each must set ``func=`` to a callable taking
    ``(env, args)`` where ``env`` has ``root``, ``request`` and ``registry``."""


# backups ------------------------------------------------------------------------------
@hookspec
def cong_backup_taken(settings, backup_dir, stamp):
    """Called by ``cong backup`` (:mod:`core.backup`) once a backup of the database
    and its blobs is written and verified, while the portal may still be serving:
    ``settings`` are the application's (a dict; the database is not open),
    ``backup_dir`` the backup folder and ``stamp`` the backup's name (repozo's UTC
    moment). May keep what it holds outside the database (an index) in
    ``<backup_dir>/<a folder of its own>/<stamp>/``, deleted with the backup by
    ``cong backup``'s pruning. Must not fail the backup: return a line to print
    (what was kept, or a warning saying why nothing was), or None."""


@hookspec
def cong_restored(env, backup_dir, stamp):
    """Called by ``cong restore`` once the backup ``stamp`` of ``backup_dir`` is
    restored (cut at the moment asked for), with ``env`` a
    :class:`core.cli.app.CommandEnv` on the restored site. Bring what it holds
    outside the database up to date with the restored database, from what
    ``cong_backup_taken`` kept, and print what was done. Return True when done;
    unless every implementation returns True, ``cong restore`` then runs
    ``cong reindex`` on the restored site."""


# content events -----------------------------------------------------------------------
@hookspec
def cong_object_added(request, obj, parent):
    """Called after an object was added to ``parent`` (also for each object of a
    copied tree, parents first), in the transaction of the change. The object has
    its name, parent, uid and initial state. May change other content, or refuse
    the addition by raising."""


@hookspec
def cong_object_modified(request, obj, fields):
    """Called after an object's fields were edited, in the transaction of the
    change; ``fields`` names the ones submitted. May change other content, or
    refuse the edit by raising."""


@hookspec
def cong_object_removed(request, obj, parent):
    """Called after an object was deleted from ``parent``, in the transaction of
    the change: once for the deleted object and once for each object below it,
    children first. May change other content, or refuse the deletion by raising."""


@hookspec
def cong_object_moved(request, obj, old_parent, old_name, new_parent, new_name):
    """Called after an object was renamed (same parent) or moved to another
    folder, in the transaction of the change. Its uid is unchanged. May change
    other content, or refuse the move by raising."""


@hookspec
def cong_workflow_transition(request, obj, transition, old_state, new_state, comment):
    """Called after a workflow transition was made on ``obj``, in the transaction
    of the change; its ACL already follows the new state. May change other
    content, or refuse the transition by raising."""


@hookspec
def cong_subsite_created(request, subsite):
    """Called when a subsite (a department's or commune's site) was created and
    provisioned, in the transaction that creates it. A plugin may add its sections
    to it (:func:`subsites.structure.ensure_child`) where it is enabled
    (:func:`subsites.plugins.enabled_at`), or refuse the subsite by raising.
    Returns nothing."""


@hookspec
def cong_site_structure(request, site):
    """Called once per site for each plugin implementing it, when the plugin first
    runs on the site: at the start that creates the site, or the first start after
    the plugin is named in ``cong.plugins``. Create the plugin's own structure in
    ``site`` (a folder its commands and pages work in, ...), as subsites get theirs
    from ``cong_subsite_created``. ``request`` acts as a Manager. Done once: it is
    recorded in the site (see :mod:`core.structure`). Returns nothing."""


@hookspec
def cong_demo_item(request, obj, values, skip):
    """Called by ``cong demo`` (:mod:`core.demo`) for each item of the demo file it
    creates, or finds already there as a section to fill, before its sharing and
    workflow state are applied. ``values`` holds the item's keys that are neither
    structure (``type``, ``id``, ``state``, ``local_roles``, ``children``) nor
    fields of its type: a plugin loads those it knows (the schedule plugin a
    schedule's ``weeks``) through the model, as the request's user, and calls
    ``skip(what, why)`` for a part it could not load (``what``: the part, e.g.
    ``"week 2026-W47"``; ``why``: a message, translated by the loader), which is
    reported as skipped. Called only when there are such keys; returns nothing."""


@hookspec
def cong_demo_data(request, data, loader):
    """Called by ``cong demo`` (:mod:`core.demo`) once the kernel's parts of the demo
    file (users, groups, the site's details, content) are loaded, with the whole
    file's ``data``: a plugin loads the top-level keys it knows (the subsites'
    ``"subsites"``) through the model, as the request's user. ``loader`` is the
    :class:`core.demo.DemoLoader`: ``loader.add_item(folder, values)`` adds an item
    as the kernel's ``content`` are, ``loader.skip(what, why)`` reports a part that
    could not be loaded, ``loader.errors(exc)`` words a
    :class:`core.operations.ValidationFailed` for it, and ``loader.summary.items``
    counts what was added by type name. Returns nothing."""


# pages ---------------------------------------------------------------------------------
@hookspec
def cong_navigation(request, context, items):
    """Called when a page's navigation is built. ``items`` is the list of dicts
    ``{"title", "url", "current", "section"}`` of the navigation root's visible
    children (``current``: the page shown is this entry's own, marked
    ``aria-current="page"``; ``section``: the page shown is inside this entry); a
    plugin may append, remove or reorder entries in place. Returns nothing."""


@hookspec
def cong_header_widgets(request, context):
    """Called when a page's header is built. Return a list of safe HTML fragments
    (e.g. the search box) shown in the header's widget area, in plugin order."""


@hookspec
def cong_head_links(request, context):
    """Called when a page's head is built. Return a list of
    :class:`core.slots.HeadLink` (``<link rel="alternate">`` to a feed...), in plugin
    order."""


@hookspec
def cong_front_page(request, context):
    """Called when the portal's front page (the site's default view) is built.
    Return a list of safe HTML fragments shown below its introduction, in plugin
    order (e.g. the latest news of every unit of the province)."""


@hookspec
def cong_portlets(request, context):
    """Called when a page's portlet column is built. Return a list of
    :class:`core.portlets.Portlet` to show (or an empty list); their ``order``
    sorts them."""


# public services -------------------------------------------------------------------------
@hookspec(firstresult=True)
def cong_procedure(request, code):
    """Called by a plugin that handles dossiers (a one-stop desk) to find the
    administrative procedure of ``code`` (``1.002425``) published by another plugin.
    Return the procedure or None; the first answer wins. It has at least ``code``,
    ``title``, ``field``, ``tier``, ``level`` (1–4), ``online`` (``toan-trinh``,
    ``mot-phan`` or ''), ``agency_code`` (the implementing unit's code, '' for every
    unit of its tier), ``components`` (rows with ``name``, ``copies``, ``required``),
    ``methods`` (rows with ``channel`` and ``days``) and ``fees`` (rows with
    ``name`` and ``amount`` in đồng)."""


@hookspec(firstresult=True)
def cong_service_submission(request, unit, service):
    """Called by the plugin that publishes administrative procedures when the page
    of one offered online (level 3 or 4) is built. ``unit`` is the subsite that
    receives the dossier (the page's subsite, else the procedure's implementing
    unit), or None when no subsite does; ``service`` is the procedure, with at
    least ``code``, ``title`` and ``level``. A plugin that takes dossiers online
    there (a one-stop desk, where it is enabled on ``unit``) returns the address of
    its submission form; the first answer wins. With no answer the page says how to
    submit in person."""


# payments ---------------------------------------------------------------------------------
@hookspec
def cong_payment_changed(request, payment, old_state):
    """Called when a payment (:class:`core.payments.Payment`) changed state, in the
    transaction of the change, after it is made: ``payment.state`` is the new state
    (:data:`core.payments.STATES`), ``old_state`` the one before. It is started
    (not paid → waiting) when the payer is sent to pay, paid or back to not paid
    when its platform reports (a callback, or ``cong payments check``, whose request
    has no user), cancelled or refunded by a Manager. The plugin that asked for it
    finds its object by ``payment.subject_kind`` and ``payment.subject`` and may
    change it (move a dossier on once its fees are paid), acting as the kernel's
    request, without a permission check of its own. Raising aborts the change: a
    platform's callback is then answered with an error and sent again later, so
    raise only for a failure worth that. Returns nothing."""
