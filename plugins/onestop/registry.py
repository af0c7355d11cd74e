"""The province's one-stop records at the site: every dossier by its code (the
look-up and the national portal's MaHoSo), and the processes of the procedures
(:mod:`plugins.onestop.process`). Created by an evolve step."""

from __future__ import annotations

from BTrees.OOBTree import OOBTree, OOTreeSet
from persistent import Persistent

#: The evolve step giving the site its one-stop records.
EVOLVE_STEP = "onestop-0001-registry"


class OneStop(Persistent):
    """``codes``: dossier code -> dossier (the national MaHoSo too: a national
    dossier keeps it as its code); ``processes``: procedure code ->
    :class:`plugins.onestop.process.ProcedureSettings`; ``owners``: a citizen's
    login -> the codes of the dossiers they submitted signed in ("Hồ sơ của
    tôi")."""

    def __init__(self):
        self.codes = OOBTree()
        self.processes = OOBTree()
        self.owners = OOBTree()


def add_owned(site, login: str, code: str) -> None:
    """Remember that ``login`` submitted dossier ``code``."""
    codes = site.onestop.owners.get(login)
    if codes is None:
        codes = site.onestop.owners[login] = OOTreeSet()
    codes.add(code)


def owned_codes(site, login: str) -> list[str]:
    """The codes of the dossiers ``login`` submitted, newest first."""
    codes = site.onestop.owners.get(login) if login else None
    return list(reversed(list(codes))) if codes is not None else []


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
