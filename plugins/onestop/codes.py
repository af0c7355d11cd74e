"""Dossier codes: ``<unit code>-YYMMDD-NNNN`` (Thông tư 01/2018/TT-VPCP, art. 19):
the receiving unit's code, the reception date, and a number per unit per day
drawn from the kernel's sequences, so two receptions never share one, in one
process or several (:mod:`core.sequences`)."""

from __future__ import annotations

import re
from datetime import datetime

from core.clock import TIMEZONE
from core.sequences import next_number

#: The sequence the codes are drawn from (its scope is the receiving unit's code).
SEQUENCE = "onestop-dossier"
#: A code as this portal makes it (a national MaHoSo may look otherwise).
CODE_RE = re.compile(r"^[0-9]{1,12}-[0-9]{6}-[0-9]{4,}\Z")
#: What a code typed in a look-up may be: a portal code or a national MaHoSo.
ANY_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-_]{2,59}\Z")


def new_code(site, unit_code: str, received: datetime) -> str:
    """The next code of the unit ``unit_code`` for the day of ``received``."""
    number = next_number(site, SEQUENCE, unit_code, period="day", now=received)
    day = received.astimezone(TIMEZONE).strftime("%y%m%d")
    return f"{unit_code}-{day}-{number:04d}"
