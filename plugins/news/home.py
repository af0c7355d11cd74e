"""Home pages: a subsite's (its default view) and the portal's portlet blocks.

A home page shows, in its main area, the portlets the plugins enabled there give
(``cong_portlets``: featured news, latest news, important announcements, upcoming
events, this week's schedule...), in the order and with the ones switched off that
its SiteAdmins chose on ``@@trang-chu``. The choice is stored on the navigation
root as ``home_portlets``: ``(name, shown)`` pairs in order; a portlet it does not
name yet (a plugin enabled since) comes after them, shown. The portal's home keeps
its aggregation of the units' news (:mod:`subsites.portal_views`) and shows its
portlets the same way, through ``cong_front_page``.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyramid.httpexceptions import HTTPFound
from pyramid.view import view_config

from core import events
from core.hookspecs import hookimpl
from core.i18n import _
from core.interfaces import INavigationRoot, ISite
from core.operations import require
from core.permissions import SHARING, VIEW
from core.plugins import page_hook
from core.portlets import Portlet
from core.theme import render_template
from core.views.forms import flash
from subsites.interfaces import ISubsite

#: The attribute of a navigation root holding its home page's arrangement.
SETTING = "home_portlets"
#: The settings page's view name.
SETTINGS_VIEW = "trang-chu"
MAX_POSITION = 99


@dataclass(frozen=True)
class Slot:
    """A portlet of a home page, and whether it is shown there."""

    portlet: Portlet
    shown: bool


def available_portlets(request, root) -> list[Portlet]:
    """The portlets the plugins enabled at ``root`` give, in their own order."""
    hook = page_hook(request, "cong_portlets")
    found = [p for result in hook(request=request, context=root) for p in result or ()]
    return sorted(found, key=lambda p: p.order)


def arrangement(request, root) -> list[Slot]:
    """``root``'s home portlets in the chosen order (see the module docstring)."""
    stored = list(getattr(root, SETTING, None) or ())
    rank = {name: index for index, (name, _shown) in enumerate(stored)}
    shown = dict(stored)
    portlets = available_portlets(request, root)
    portlets.sort(key=lambda p: rank.get(p.name, len(rank)))  # stable: new ones in order
    return [Slot(p, shown.get(p.name, True)) for p in portlets]


def home_boxes(request, root) -> list[dict]:
    """The shown portlets of ``root``'s home page, rendered (empty ones left out)."""
    translate = request.localizer.translate
    boxes = []
    for slot in arrangement(request, root):
        if not slot.shown:
            continue
        body = slot.portlet.render(request, root)
        if body:
            boxes.append(
                {"name": slot.portlet.name, "title": translate(slot.portlet.title), "body": body}
            )
    return boxes


class ArrangementRefused(ValueError):
    """Positions that were refused: ``errors`` maps a portlet's name to its message."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


def save_arrangement(request, root, positions: dict[str, str], shown: set[str]) -> None:
    """Store the order (``positions``: portlet name -> its position, as typed) and
    which portlets show on ``root``'s home page (requires ``sharing``). Every
    available portlet needs a whole position from 1 to 99; nothing is stored
    otherwise (:class:`ArrangementRefused`)."""
    require(request, SHARING, root)
    portlets = arrangement(request, root)
    errors, ranked = {}, []
    for index, slot in enumerate(portlets):
        name = slot.portlet.name
        text = str(positions.get(name, "")).strip()
        if not text.isdigit() or not 1 <= int(text) <= MAX_POSITION:
            errors[name] = _("Nhập một số thứ tự từ 1 đến ${max}.", mapping={"max": MAX_POSITION})
            continue
        ranked.append((int(text), index, name))
    if errors:
        raise ArrangementRefused(errors)
    setattr(root, SETTING, tuple((name, name in shown) for _p, _i, name in sorted(ranked)))
    events.object_modified(request, root, (SETTING,))


@view_config(context=ISubsite, renderer="home.pt", permission=VIEW)
def subsite_home(context, request):
    """A subsite's home page: its introduction and its portlets, as arranged."""
    return {
        "boxes": home_boxes(request, context),
        "settings_url": (
            request.resource_url(context, "@@" + SETTINGS_VIEW)
            if request.has_permission(SHARING, context)
            else ""
        ),
    }


subsite_home.stands_aside = True  # news disabled there: the folder view answers


@hookimpl
def cong_front_page(request, context):
    """The portal's portlets, as arranged, among its home page's blocks."""
    if not ISite.providedBy(context):
        return []
    boxes = home_boxes(request, context)
    if not boxes:
        return []
    settings_url = ""
    if request.has_permission(SHARING, context):
        settings_url = request.resource_url(context, "@@" + SETTINGS_VIEW)
    return [render_template(request, "home_boxes.pt", boxes=boxes, settings_url=settings_url)]


def settings_rows(request, root, positions=None, errors=None, shown=None) -> list[dict]:
    """A row of the settings form per portlet: name, title, position, shown, error."""
    translate = request.localizer.translate
    rows = []
    for index, slot in enumerate(arrangement(request, root)):
        name = slot.portlet.name
        error = (errors or {}).get(name)
        rows.append(
            {
                "name": name,
                "id": f"portlet-{index}",
                "title": translate(slot.portlet.title),
                "position": positions.get(name, "") if positions is not None else index + 1,
                "shown": name in shown if shown is not None else slot.shown,
                "error": translate(error) if error else "",
            }
        )
    return rows


@view_config(
    context=INavigationRoot, name=SETTINGS_VIEW, renderer="home_settings.pt", permission=SHARING
)
def home_settings(context, request):
    """``@@trang-chu``: the order of the home page's portlets and which show."""
    if request.method != "POST":
        return {"rows": settings_rows(request, context), "error_summary": []}
    positions = {
        key.removeprefix("position-"): value
        for key, value in request.POST.items()
        if key.startswith("position-") and isinstance(value, str)
    }
    shown = {name for name in request.POST.getall("shown") if isinstance(name, str)}
    try:
        save_arrangement(request, context, positions, shown)
    except ArrangementRefused as exc:
        request.response.status = 400
        rows = settings_rows(request, context, positions, exc.errors, shown)
        summary = [
            {"href": "#" + r["id"] + "-position", "title": r["title"], "message": r["error"]}
            for r in rows
            if r["error"]
        ]
        return {"rows": rows, "error_summary": summary}
    flash(request, _("Đã lưu cách sắp xếp trang chủ."))
    return HTTPFound(request.resource_url(context))
