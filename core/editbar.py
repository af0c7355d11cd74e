"""The edit bar of a page: its editing tabs, the workflow transitions and the types
that may be added, each only as far as the requester may use them.

Tabs are registered with the ``config.add_edit_tab(name, title, permission,
context=...)`` directive: the kernel's own (view, edit, contents, sharing) here,
the layers' and plugins' after them, shown in the order they were registered on
objects that provide ``context``.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyramid.config import Configurator
from zope.interface.interfaces import IInterface

from core.i18n import _
from core.interfaces import IContent, IFolder
from core.operations import addable_types
from core.permissions import EDIT, LIST, SHARING, VIEW
from core.workflow import workflow_of


@dataclass(frozen=True)
class EditTab:
    """A tab of the edit bar: the view ``name`` (``"@@edit"``; ``""``: the object's
    own page) with its ``title``, shown to holders of ``permission`` on objects
    providing ``context``."""

    name: str
    title: str
    permission: str
    context: IInterface = IContent


def add_edit_tab(
    config: Configurator, name: str, title: str, permission: str, context: IInterface = IContent
) -> None:
    """Directive: show the tab of view ``name`` on objects providing ``context``; two
    tabs of one name for one interface are a start-up conflict."""
    tab = EditTab(name, title, permission, context)
    config.action(
        ("cong.edit_tab", name, context), lambda: config.registry.cong_edit_tabs.append(tab)
    )


def tabs(request, context, url) -> list[dict]:
    """The tabs ``{"name", "title", "url", "current"}`` the requester may use on
    ``context`` (``url(obj, *elements)`` makes their addresses)."""
    view_name = request.view_name
    return [
        {
            "name": tab.name or "view",
            "title": request.localizer.translate(tab.title),
            "url": url(context, tab.name) if tab.name else url(context),
            "current": view_name == tab.name.removeprefix("@@"),
        }
        for tab in request.registry.cong_edit_tabs
        if tab.context.providedBy(context) and request.has_permission(tab.permission, context)
    ]


def transitions(request, context) -> list[dict]:
    """The workflow transitions ``{"name", "title"}`` the requester may make on
    ``context``."""
    workflow = workflow_of(request, context)
    if workflow is None:
        return []
    return [
        {"name": t.name, "title": request.localizer.translate(_(t.title))}
        for t in workflow.available(request, context)
    ]


def addable(request, context, url) -> list[dict]:
    """The types ``{"name", "title", "url"}`` the requester may add to ``context``,
    with the address of their add forms."""
    return [
        {
            "name": ct.name,
            "title": request.localizer.translate(ct.label),
            "url": url(context, "@@add", type=ct.name),
        }
        for ct in addable_types(request, context)
    ]


def includeme(config: Configurator) -> None:
    config.registry.cong_edit_tabs = []
    config.add_directive("add_edit_tab", add_edit_tab)
    config.add_edit_tab("", _("Xem"), VIEW)
    config.add_edit_tab("@@edit", _("Sửa"), EDIT)
    config.add_edit_tab("@@contents", _("Nội dung"), LIST, context=IFolder)
    config.add_edit_tab("@@sharing", _("Chia sẻ"), SHARING, context=IFolder)
