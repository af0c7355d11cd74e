"""The library's part of the documents benchmark (:mod:`plugins.documents.tests.bench`):
published legal documents in the units' libraries and the province's, indexed by
``cong reindex`` as a real portal would be, and the browse pages measured."""

from __future__ import annotations

import sys
import time
from datetime import timedelta
from pathlib import Path

#: The browse pages measured: the province's library, a filtered view of it, a unit's.
BROWSE_PAGES = (
    "/van-ban-phap-quy/",
    "/van-ban-phap-quy/?kind=quyet-dinh&status=con-hieu-luc",
    "/so-xay-dung/van-ban-phap-quy/",
)
KINDS = ("quyet-dinh", "chi-thi", "ke-hoach", "thong-bao", "nghi-quyet", "quy-dinh")
ABBREVIATIONS = {"quyet-dinh": "QĐ", "chi-thi": "CT", "ke-hoach": "KH", "thong-bao": "TB",
                 "nghi-quyet": "NQ", "quy-dinh": "QyĐ"}  # fmt: skip
SUBJECTS = ("quản lý đất đai", "trật tự xây dựng", "phòng chống thiên tai", "cải cách hành chính",
            "bảo vệ môi trường", "phát triển nhà ở", "an toàn giao thông")  # fmt: skip


def library_of(m, unit):
    """``unit``'s library, made when the bench's bare unit has none."""
    from core.types import get_types
    from plugins.documents.legal import LIBRARY, SECTION

    library = unit.get(SECTION[0])
    if library is None:
        library = get_types(m.request.registry)[LIBRARY].create(title=SECTION[1])
        library.workflow_state = "published"
        unit.attach(SECTION[0], library)
        m.site.uids[library.uid] = library
    return library


def add_legal_documents(m, codes: list[str], count: int, rng, today) -> None:
    """``count`` published legal documents: a tenth the province's, the rest the
    units'; then the whole portal indexed (``cong reindex``)."""
    from core.types import get_types
    from plugins.documents.library_fields import FIELDS
    from subsites.directory import subsite_by_code

    make = get_types(m.request.registry)["LegalDocument"].create
    libraries = {code: library_of(m, subsite_by_code(m.site, code)) for code in codes}
    libraries[""] = library_of(m, m.site)
    numbers: dict[tuple[str, int, str], int] = {}
    for n in range(1, count + 1):
        code = "" if rng.random() < 0.1 else rng.choice(codes)
        kind = rng.choice(KINDS)
        day = (today - timedelta(days=rng.randrange(1, 3650))).date()
        key = (code, day.year, kind)
        number = numbers[key] = numbers.get(key, 0) + 1
        subject = rng.choice(SUBJECTS)
        document = make(
            title=f"{kind.replace('-', ' ').capitalize()} về {subject} ({number})",
            description=f"Quy định chi tiết một số nội dung về {subject} trên địa bàn.",
        )
        document.number = f"{number}/{day.year}/{ABBREVIATIONS[kind]}-UBND"
        document.kind, document.issue_date = kind, day
        document.issuing_body = "Ủy ban nhân dân"
        document.field = rng.choice(FIELDS)[0]
        document.status = rng.choice(("con-hieu-luc",) * 6 + ("het-hieu-luc", "bi-thay-the"))
        document.workflow_state = "published"
        libraries[code].attach(f"vb-{n}", document)
        m.site.uids[document.uid] = document
        if n % 5000 == 0:
            m.commit()
            m.site._p_jar.cacheGC()
            print(f"  built {n} legal documents", file=sys.stderr, flush=True)
    m.commit()


def reindex(data_dir: Path) -> float:
    """``cong reindex`` of the portal (structural indexes and full text): seconds."""
    from core.cli.main import main as cong

    ini = data_dir.parent / "bench.ini"
    ini.write_text(
        "[app:main]\nuse = egg:cong\n"
        f"cong.data_dir = {data_dir}\ncong.plugins = documents news\n"
        "cong.initial_admin_password = admin\ncong.index_in_request = false\n",
        encoding="utf-8",
    )
    started = time.perf_counter()
    if cong(["-c", str(ini), "reindex"]):
        raise SystemExit("cong reindex failed")
    return time.perf_counter() - started
