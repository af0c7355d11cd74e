"""The province's one-stop records at the site: every dossier by its code (the
look-up and the national portal's MaHoSo), and the processes of the procedures
(:mod:`plugins.onestop.process`). Created by an evolve step."""

from __future__ import annotations

from BTrees.OOBTree import OOBTree
from persistent import Persistent

#: The evolve step giving the site its one-stop records.
EVOLVE_STEP = "onestop-0001-registry"


class OneStop(Persistent):
    """``codes``: dossier code -> dossier (the national MaHoSo too: a national
    dossier keeps it as its code); ``processes``: procedure code ->
    :class:`plugins.onestop.process.ProcedureSettings`."""

    def __init__(self):
        self.codes = OOBTree()
        self.processes = OOBTree()


def create_registry(site) -> None:
    """Evolve step: give ``site`` its (empty) one-stop records."""
    if getattr(site, "onestop", None) is None:
        site.onestop = OneStop()


def registry_of(site) -> OneStop:
    return site.onestop


def find_dossier(site, code: str):
    """The dossier of ``code``, or None."""
    if not isinstance(code, str):
        return None
    return site.onestop.codes.get(code.strip())
