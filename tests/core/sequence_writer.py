"""A writer process for the sequences test (:mod:`tests.core.test_sequences`).

``python sequence_writer.py HOST PORT DRAWS NOW``: over ZEO, draw ``DRAWS``
numbers of the daily sequence ``dossier`` in scope ``A`` and, after every fifth,
one in scope ``B``, each in its own transaction, tried again on a conflict, for
the day of ``NOW`` (ISO). The first draw waits, before its commit, for a line on stdin (after
printing ``ready``), so that the test makes every writer commit it at once. Prints
``{"A": [...], "B": [...], "conflicts": n}`` at the end.
"""

from __future__ import annotations

import json
import random
import sys
import time
from datetime import datetime

import transaction
import ZEO
from ZODB.POSException import ConflictError

from core.sequences import next_number
from core.site import get_site

#: Attempts at one draw before the writer gives up (and the test fails).
ATTEMPTS = 200


def draw(conn, scope: str, now: datetime, gate=None) -> tuple[int, int]:
    """One number in its own transaction: (the number, conflicts met)."""
    conflicts = 0
    for attempt in range(1, ATTEMPTS + 1):
        transaction.begin()
        try:
            number = next_number(get_site(conn), "dossier", scope, "day", now=now)
            if gate is not None and attempt == 1:
                gate()
            transaction.commit()
            return number, conflicts
        except ConflictError:
            transaction.abort()
            conflicts += 1
            time.sleep(random.uniform(0, min(0.002 * attempt, 0.05)))
    raise RuntimeError(f"no number after {ATTEMPTS} attempts")


def wait_for_the_others() -> None:
    print("ready", flush=True)
    sys.stdin.readline()


def main(host: str, port: str, draws: str, now: str) -> None:
    moment = datetime.fromisoformat(now)
    db = ZEO.DB((host, int(port)))
    conn = db.open()
    numbers = {"A": [], "B": []}
    conflicts = 0
    for i in range(int(draws)):
        number, met = draw(conn, "A", moment, wait_for_the_others if i == 0 else None)
        numbers["A"].append(number)
        conflicts += met
        if i % 5 == 0:
            number, met = draw(conn, "B", moment)
            numbers["B"].append(number)
            conflicts += met
    conn.close()
    db.close()
    print(json.dumps(dict(numbers, conflicts=conflicts)), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
