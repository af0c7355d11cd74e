"""Vietnam's public holidays, as the ``holidays`` package knows them.

What the package gives (version 0.109, ``holidays.country_holidays("VN")``):

- the days of the Labor Code (2019, art. 112): Tết Dương lịch (1/1); Tết Nguyên
  Đán, five days since 2013 (the lunar new year's eve and the first four days of
  the year); Giỗ Tổ Hùng Vương (10/3 lunar, since 2007); 30/4; 1/5; Quốc khánh,
  two days since 2021 (2/9 and the day before or after it); and Ngày Văn hóa
  Việt Nam (24/11, since 2026);
- the days off in lieu (nghỉ bù) the Labor Code gives when a holiday falls on a
  Saturday or Sunday: the next working day, and for a Tết day on a weekend, the
  working day before or after Tết (``29 Tết``, ``Mùng năm Tết``...);
- a few of the government's yearly swaps of a working day with a Saturday
  (hoán đổi ngày làm việc, for the public sector), only those its authors
  recorded: 2010, 2012–2015, 2018, 2019, 2024, 2025 (30/4) and 2026 (2/9, with
  Saturday 22/8 to work). Each gives a day off named "Ngày nghỉ (thay cho ngày
  …)" and a make-up Saturday (:func:`makeup_days_of`);
- the years 1901 to 2100 (Tết is computed from its own lunar tables).

What it does not give: a swap decided after the installed release (each year's
decision on Tết and on 2/9 comes months ahead; a newer release of the package may
know it), a day a province decides for itself, and a holiday the government
moves. Those are the days the site's Managers keep (:mod:`core.workdays.kept`).
The names are in Vietnamese, or English (``en_US``); a holiday in lieu says so
("(nghỉ bù)").
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from types import MappingProxyType

import holidays

#: The years the package's Vietnamese calendar covers.
FIRST_YEAR = 1901
LAST_YEAR = 2100
#: The package's language for each of the portal's.
PACKAGE_LANGUAGES = {"vi": "vi", "en": "en_US"}


class OutsideCalendar(ValueError):
    """A date outside the years the calendar knows (:data:`FIRST_YEAR` to
    :data:`LAST_YEAR`)."""

    def __init__(self, year: int):
        super().__init__(f"the working-day calendar knows the years {FIRST_YEAR}–{LAST_YEAR}")
        self.year = year


def check_year(year: int) -> int:
    """``year`` if the calendar knows it, else :class:`OutsideCalendar`."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise OutsideCalendar(year)
    return year


@lru_cache(maxsize=512)
def holidays_of(year: int, language: str = "vi") -> Mapping[date, str]:
    """The public holidays of ``year`` (days off in lieu included) and their names
    in ``language`` (one of the portal's; Vietnamese for another)."""
    found = holidays.country_holidays(
        "VN", years=check_year(year), language=PACKAGE_LANGUAGES.get(language, "vi")
    )
    return MappingProxyType(dict(sorted(found.items())))


@lru_cache(maxsize=256)
def makeup_days_of(year: int) -> frozenset[date]:
    """The Saturdays and Sundays of ``year`` the package knows to be working days
    (the other half of a swap)."""
    found = holidays.country_holidays("VN", years=check_year(year))
    return frozenset(day for day in found.weekend_workdays if day.year == year)
