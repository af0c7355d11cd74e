"""Sequences: numbers from 1 per name, scope and period, never given twice, kept
in the database; concurrent writers in separate processes on one database
(ZEO) get every number once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import transaction
import ZEO
import ZODB
from ZODB.FileStorage import FileStorage
from ZODB.POSException import ConflictError

from core.clock import frozen
from core.evolve import get_steps, run_pending
from core.sequences import SEQUENCES_STEP, create_sequences, next_number, peek, period_key
from core.site import ROOT_KEY, Site, get_site

#: 10:00 on 4 March 2025 in Hà Nội.
MORNING = datetime(2025, 3, 4, 3, 0, tzinfo=UTC)
REPO = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).with_name("sequence_writer.py")


def new_site(db) -> None:
    """Store a new site with its sequences in ``db``."""
    with db.transaction() as conn:
        site = Site(title="Cổng thử")
        create_sequences(site)
        conn.root()[ROOT_KEY] = site


@pytest.fixture
def db(tmp_path):
    """A FileStorage database holding a site."""
    database = ZODB.DB(FileStorage(str(tmp_path / "Data.fs")))
    new_site(database)
    yield database
    database.close()


@pytest.fixture
def site(db):
    """The stored site, in a transaction aborted after the test."""
    conn = db.open()
    transaction.begin()
    yield get_site(conn)
    transaction.abort()
    conn.close()


def at(text: str) -> datetime:
    """A moment in Hà Nội's time, from ``YYYY-MM-DD HH:MM``."""
    return datetime.fromisoformat(text + "+07:00")


# numbering ----------------------------------------------------------------------
def test_numbers_follow_each_other_from_one(site):
    assert [next_number(site, "dossier", "000.00.01.H23", "day") for _ in range(3)] == [1, 2, 3]


def test_scopes_and_names_count_apart(site):
    draws = [
        next_number(site, "dossier", "unit-a", "year", now=MORNING),
        next_number(site, "dossier", "unit-b", "year", now=MORNING),
        next_number(site, "dossier", "unit-a", "year", now=MORNING),
        next_number(site, "incoming", "unit-a", "year", now=MORNING),
        next_number(site, "dossier", "", "year", now=MORNING),
    ]
    assert draws == [1, 1, 2, 1, 1]


@pytest.mark.parametrize(
    "period, last_of_one, first_of_next",
    [
        ("day", "2025-03-04 23:59", "2025-03-05 00:00"),
        ("month", "2025-03-31 23:59", "2025-04-01 00:00"),
        ("year", "2025-12-31 23:59", "2026-01-01 00:00"),
    ],
)
def test_a_counter_starts_again_from_one_each_period(site, period, last_of_one, first_of_next):
    early = at(last_of_one.replace("23:59", "00:00"))
    assert next_number(site, "dossier", "u", period, now=early) == 1
    assert next_number(site, "dossier", "u", period, now=at(last_of_one)) == 2
    assert next_number(site, "dossier", "u", period, now=at(first_of_next)) == 1
    assert next_number(site, "dossier", "u", period, now=at(first_of_next)) == 2


def test_without_a_period_a_counter_never_starts_again(site):
    numbers = [
        next_number(site, "register", "u", "none", now=at(day))
        for day in ("2024-06-01 08:00", "2025-01-01 08:00", "2031-12-31 08:00")
    ]
    assert numbers == [1, 2, 3]


def test_periods_are_those_of_vietnam_not_of_utc():
    # 17:30 UTC on New Year's Eve is already 00:30 on 1 January in Hà Nội.
    new_year = datetime(2025, 12, 31, 17, 30, tzinfo=UTC)
    assert period_key("year", new_year) == "2026"
    assert period_key("month", new_year) == "2026-01"
    assert period_key("day", new_year) == "2026-01-01"
    assert period_key("day", datetime(2025, 12, 31, 16, 59, tzinfo=UTC)) == "2025-12-31"
    assert period_key("none", new_year) == ""


def test_the_period_is_that_of_the_kernel_clock(site):
    with frozen(datetime(2025, 12, 31, 16, 0, tzinfo=UTC)):  # 23:00 in Hà Nội
        assert next_number(site, "dossier", "u", "day") == 1
        assert peek(site, "dossier", "u", "day", now=at("2025-12-31 08:00")) == 2
    with frozen(datetime(2025, 12, 31, 17, 0, tzinfo=UTC)):  # midnight in Hà Nội
        assert next_number(site, "dossier", "u", "day") == 1


def test_peek_tells_the_next_number_without_taking_it(site):
    assert peek(site, "dossier", "u", now=MORNING) == 1
    next_number(site, "dossier", "u", now=MORNING)
    assert peek(site, "dossier", "u", now=MORNING) == 2
    assert peek(site, "dossier", "u", now=MORNING) == 2
    assert next_number(site, "dossier", "u", now=MORNING) == 2


@pytest.mark.parametrize(
    "name, scope, period, now",
    [
        ("", "u", "year", MORNING),
        (None, "u", "year", MORNING),
        ("dossier", 42, "year", MORNING),
        ("dossier", "u", "week", MORNING),
        ("dossier", "u", "year", datetime(2025, 3, 4, 10, 0)),  # no time zone
    ],
)
def test_a_wrong_call_is_refused_and_counts_nothing(site, name, scope, period, now):
    with pytest.raises(ValueError):
        next_number(site, name, scope, period, now=now)
    assert len(site.sequences) == 0


# storage ------------------------------------------------------------------------
def test_numbers_are_kept_in_the_database(tmp_path):
    path = str(tmp_path / "Data.fs")
    db = ZODB.DB(FileStorage(path))
    new_site(db)
    with db.transaction() as conn:
        assert next_number(get_site(conn), "dossier", "u", now=MORNING) == 1
        assert next_number(get_site(conn), "dossier", "u", now=MORNING) == 2
    db.close()
    db = ZODB.DB(FileStorage(path))  # as after a restart
    with db.transaction() as conn:
        assert next_number(get_site(conn), "dossier", "u", now=MORNING) == 3
    db.close()


def test_an_aborted_transaction_gives_its_number_back(db):
    with db.transaction() as conn:
        next_number(get_site(conn), "dossier", "u", now=MORNING)
    conn = db.open()
    transaction.begin()
    assert next_number(get_site(conn), "dossier", "u", now=MORNING) == 2
    transaction.abort()
    conn.close()
    with db.transaction() as conn:
        assert next_number(get_site(conn), "dossier", "u", now=MORNING) == 2


def test_a_new_site_has_its_sequences_and_an_existing_one_gets_them(app, site_access):
    with site_access() as site:
        assert next_number(site, "dossier", "u", now=MORNING) == 1
        assert SEQUENCES_STEP in site.evolved
        del site.sequences  # a site from before sequences existed
        del site.evolved[SEQUENCES_STEP]
    db = app.registry._zodb_databases[""]
    assert run_pending(db, get_steps(app.registry), echo=lambda line: None) == [SEQUENCES_STEP]
    with site_access() as site:
        assert next_number(site, "dossier", "u", now=MORNING) == 1


# concurrent transactions ----------------------------------------------------------
class Writer:
    """A connection of its own, with its own transactions, as another request."""

    def __init__(self, db):
        self.tm = transaction.TransactionManager()
        self.conn = db.open(self.tm)
        self.tm.begin()

    def draw(self, scope: str) -> int:
        return next_number(get_site(self.conn), "dossier", scope, "day", now=MORNING)

    def commit(self) -> None:
        try:
            self.tm.commit()
        finally:
            self.conn.close()


def prepare(db, *scopes: str) -> None:
    """Counters of ``scopes`` that already exist (one number drawn from each)."""
    with db.transaction() as conn:
        for scope in scopes:
            next_number(get_site(conn), "dossier", scope, "day", now=MORNING)


@pytest.mark.parametrize("existing", [True, False], ids=["existing", "new"])
def test_two_transactions_drawing_from_one_counter_conflict(db, existing):
    if existing:
        prepare(db, "A")
    first, second = Writer(db), Writer(db)
    assert first.draw("A") == second.draw("A")  # both read the same last number
    first.commit()
    with pytest.raises(ConflictError):
        second.commit()
    again = Writer(db)  # the second one's retry
    assert again.draw("A") == (3 if existing else 2)
    again.commit()


@pytest.mark.parametrize("existing", [True, False], ids=["existing", "new"])
def test_transactions_drawing_from_different_counters_do_not_conflict(db, existing):
    if existing:
        prepare(db, "A", "B")
    first, second = Writer(db), Writer(db)
    assert first.draw("A") == second.draw("B")
    first.commit()
    second.commit()
    with db.transaction() as conn:
        assert peek(get_site(conn), "dossier", "A", "day", now=MORNING) == (3 if existing else 2)
        assert peek(get_site(conn), "dossier", "B", "day", now=MORNING) == (3 if existing else 2)


# separate processes on one database -------------------------------------------------
WRITERS = 4
DRAWS = 25


def test_writers_in_separate_processes_get_every_number_once(tmp_path):
    address, stop_server = ZEO.server(path=str(tmp_path / "Data.fs"))
    db = ZEO.DB(address)
    processes = []
    try:
        new_site(db)
        env = dict(os.environ, PYTHONPATH=str(REPO))
        command = [sys.executable, "-W", "ignore", str(WRITER), address[0], str(address[1])]
        for _ in range(WRITERS):
            processes.append(
                subprocess.Popen(
                    [*command, str(DRAWS), MORNING.isoformat()],
                    cwd=REPO,
                    env=env,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                )
            )
        # each has drawn its first number and waits to commit it: let all go at once
        assert [p.stdout.readline().strip() for p in processes] == ["ready"] * WRITERS
        for process in processes:
            process.stdin.write("go\n")
            process.stdin.flush()
        results = [json.loads(p.communicate(timeout=120)[0]) for p in processes]
        assert [p.returncode for p in processes] == [0] * WRITERS
        a_numbers = sorted(n for r in results for n in r["A"])
        b_numbers = sorted(n for r in results for n in r["B"])
        assert a_numbers == list(range(1, WRITERS * DRAWS + 1))
        assert b_numbers == list(range(1, WRITERS * DRAWS // 5 + 1))
        for result in results:  # each writer's own numbers grow
            assert result["A"] == sorted(result["A"]) and result["B"] == sorted(result["B"])
        # the first draws were committed at once: all but one conflicted and retried
        assert sum(r["conflicts"] for r in results) >= WRITERS - 1
        with db.transaction() as conn:
            next_a = peek(get_site(conn), "dossier", "A", "day", now=MORNING)
            assert next_a == WRITERS * DRAWS + 1
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
        db.close()
        stop_server()
