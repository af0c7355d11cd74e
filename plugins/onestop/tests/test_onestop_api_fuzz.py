"""The API fuzz test (:mod:`tests.fuzz.test_openapi_fuzz`) on the one-stop
endpoints of ``/@openapi``, dossiers included: requests built from what they
declare, valid or breaking one rule, anonymous or as the admin; none gets a
5xx, and each is reached (answered something else than 404 or 405)."""

from __future__ import annotations

from collections import Counter

from core.fields import Upload
from plugins.onestop.intake import Submission, submit
from plugins.onestop.persons import parse_person
from plugins.onestop.tests.api_client import province_app
from plugins.onestop.tests.onestop_setup import APPLICANT, PDF
from tests.fuzz.harness import SEED, run
from tests.fuzz.test_openapi_fuzz import openapi, plan

REQUESTS = 400
ONESTOP = ("@dossiers", "@lookup", "@onestop-process", "@national-dossiers", "{dossier_path}")


def test_no_request_to_the_one_stop_api_gets_a_server_error(tmp_path):
    with province_app(tmp_path / "var") as province:
        with province.model("tiepnhan3") as model:
            applicant, _errors = parse_person(APPLICANT, "json")
            pdf = Upload("scan.pdf", "application/pdf", PDF)
            docs = [("Đơn đề nghị", pdf), ("Bản vẽ", pdf)]
            sub = Submission("1.000005", applicant, "counter", "counter", "20001", documents=docs)
            submit(model.request, sub, receive=True)
            model.commit()
        document = openapi(province.app)
        document["paths"] = {
            path: item
            for path, item in document["paths"].items()
            if path.endswith(ONESTOP) or any(name in path for name in ONESTOP)
        }
        assert len(document["paths"]) >= 6

        def dossiers(site):
            return list(site.onestop.codes.values())

        attempts, operation_of = plan(province.app, document, SEED, REQUESTS, dossiers)
        reached = Counter()

        def answered(request, status):
            if status not in (404, 405):
                reached[operation_of[id(request)]] += 1

        failures, _statuses = run(province.app, attempts, answered)
        assert not failures, "\n".join(failures[:30])
        operations = {f"{m.upper()} {p}" for p, item in document["paths"].items() for m in item}
        assert operations - set(reached) == set()
