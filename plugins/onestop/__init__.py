"""Một cửa điện tử: the one-stop processing system of the province.

Dossiers come three ways — this portal's online form behind a procedure's "Nộp
hồ sơ trực tuyến", a counter's Receptionist, the national public-service portal
— and become one kind of :class:`~plugins.onestop.dossier.Dossier`, coded
``<unit code>-YYMMDD-NNNN`` (:mod:`plugins.onestop.codes`), kept at the desk of
the unit that processes it (:mod:`plugins.onestop.desk`), run through the
national statuses by the transitions of :mod:`plugins.onestop.transitions`, on
working-day deadlines (:mod:`plugins.onestop.deadlines`) and the procedure's
versioned process (:mod:`plugins.onestop.process`), handed between units for a
step (:mod:`plugins.onestop.liaison`).

- :mod:`plugins.onestop.intake`: the checks and the routing of a new dossier;
- :mod:`plugins.onestop.access`: who sees a dossier (its applicant, the staff of
  the units handling it);
- :mod:`plugins.onestop.slips`: the printed slips (Mẫu 01–06 of TT 01/2018/TT-VPCP);
- the JSON API: :mod:`plugins.onestop.api` (``@dossiers``, a dossier's JSON and
  ``@workflow``), :mod:`plugins.onestop.api_lookup` (``@lookup``),
  :mod:`plugins.onestop.api_process` (``@onestop-process``),
  :mod:`plugins.onestop.national` (``@national-dossiers``, with the connectors of
  ``cong onestop connector``).
"""

from __future__ import annotations

from core.contenttypes import DESCRIPTION, TITLE
from core.hookspecs import hookimpl
from core.i18n import _
from core.types import ContentType
from plugins.onestop.cli import cong_cli_commands as cong_cli_commands
from plugins.onestop.demo import cong_demo_data as cong_demo_data
from plugins.onestop.desk import TYPE_NAME, Desk
from plugins.onestop.indexing import add_listener
from plugins.onestop.liaison import close_sub
from plugins.onestop.limits import read_limits
from plugins.onestop.national_sync import queue_status
from plugins.onestop.notify import tell_applicant
from plugins.onestop.payment_events import cong_payment_changed as cong_payment_changed
from plugins.onestop.ratings import read_criteria
from plugins.onestop.registry import (
    APPLICANTS_STEP,
    EVOLVE_STEP,
    create_registry,
    index_applicants,
)
from plugins.onestop.slips import register_slips
from plugins.onestop.units import cong_subsite_created as cong_subsite_created
from plugins.onestop.views_links import cong_navigation as cong_navigation
from plugins.onestop.views_links import cong_service_submission as cong_service_submission

title = _("Một cửa điện tử")

TYPES = [
    ContentType(
        TYPE_NAME,
        Desk,
        _("Một cửa điện tử"),
        fields=(TITLE, DESCRIPTION),
        addable_to=("Subsite",),
        allowed_children=(),
        description=_("Bộ phận một cửa của đơn vị: tiếp nhận, giải quyết, trả kết quả hồ sơ."),
    ),
]


@hookimpl
def cong_content_types():
    return TYPES


@hookimpl
def cong_configure(config):
    read_limits(config.registry)
    read_criteria(config.registry)
    config.registry.onestop_listeners = []
    config.add_directive("add_onestop_listener", add_listener)
    config.add_evolve_step(EVOLVE_STEP, create_registry, new_sites=True)
    config.add_evolve_step(APPLICANTS_STEP, index_applicants)
    config.add_onestop_listener(close_sub)
    config.add_onestop_listener(tell_applicant)
    config.add_onestop_listener(queue_status)
    config.add_template_dir("plugins.onestop:templates")
    config.include("plugins.onestop.api_lookup")
    config.add_static_view("onestop-static", "plugins.onestop:static/", cache_max_age=86400)
    register_slips(config)
    config.scan("plugins.onestop", ignore=".tests")
