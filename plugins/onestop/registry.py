"""The province's one-stop records at the site: every dossier by its code (the
look-up and the national portal's MaHoSo), and the processes of the procedures
(:mod:`plugins.onestop.process`). Created by an evolve step."""

from __future__ import annotations

from BTrees.OOBTree import OOBTree, OOTreeSet
from persistent import Persistent

from plugins.onestop.persons import CCCD

#: The evolve step giving the site its one-stop records.
EVOLVE_STEP = "onestop-0001-registry"
#: The evolve step indexing the dossiers stored before by their applicant's number.
APPLICANTS_STEP = "onestop-0002-applicants"


class OneStop(Persistent):
    """``codes``: dossier code -> dossier (the national MaHoSo too: a national
    dossier keeps it as its code); ``processes``: procedure code ->
    :class:`plugins.onestop.process.ProcedureSettings`; ``owners``: a citizen's
    login -> the codes of the dossiers they submitted signed in ("Hồ sơ của
    tôi"); ``applicants``: an applicant's personal identification number -> the
    codes of their dossiers (liên thông sub-dossiers and anonymised ones left out),
    for the citizen signed in through the identity service."""

    applicants = None  # until the evolve step :data:`APPLICANTS_STEP`

    def __init__(self):
        self.codes = OOBTree()
        self.processes = OOBTree()
        self.owners = OOBTree()
        self.applicants = OOBTree()


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


def add_applicant(site, dossier) -> None:
    """Index ``dossier`` by its applicant's personal identification number."""
    applicant = dossier.applicant
    if dossier.origin or applicant.id_type != CCCD or not applicant.id_number:
        return
    codes = site.onestop.applicants.get(applicant.id_number)
    if codes is None:
        codes = site.onestop.applicants[applicant.id_number] = OOTreeSet()
    codes.add(dossier.code)


def remove_applicant(site, dossier) -> None:
    """Take ``dossier`` out of the index by applicant (before it is anonymised)."""
    codes = site.onestop.applicants.get(dossier.applicant.id_number)
    if codes is not None and dossier.code in codes:
        codes.remove(dossier.code)
        if not codes:
            del site.onestop.applicants[dossier.applicant.id_number]


def applicant_codes(site, identifier: str) -> list[str]:
    """The codes of the dossiers whose applicant's number is ``identifier``."""
    codes = site.onestop.applicants.get(identifier) if identifier else None
    return list(codes) if codes is not None else []


def index_applicants(site) -> None:
    """Evolve step: index the dossiers stored so far by their applicant."""
    site.onestop.applicants = OOBTree()
    for dossier in site.onestop.codes.values():
        if not dossier.anonymised:
            add_applicant(site, dossier)


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
