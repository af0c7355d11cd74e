"""The public-service catalog's part of ``cong demo`` (:mod:`core.demo`).

A ``ServiceCatalog`` item of the demo file with ``"services": "sample"`` gets the
sample catalog shipped in ``etc/services/sample.json`` (the JSON format of
:mod:`plugins.services.exchange`), imported as the request's user with its fields
(lĩnh vực). The sample's ``forms`` (``{file name: {"title", "paragraphs"}}``) become
Word documents (.docx): each is added as a File inside every procedure whose dossier
components name it, so that its form downloads from the procedure's page.
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Callable
from importlib import resources

from core import operations
from core.hookspecs import hookimpl
from core.tabular import ImportFailed, problem_text
from plugins.services.exchange.importing import import_services
from plugins.services.exchange.reading import read_json
from plugins.services.interfaces import IService, IServiceCatalog

#: The samples a demo item may name: ``"services": <name>`` -> its file in etc/services.
SAMPLES = {"sample": "sample.json"}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: Problems of a refused sample repeated in the demo's report, at most.
REPORTED = 5


def sample_bytes(name: str) -> bytes:
    """The bytes of the sample ``name`` (a key of :data:`SAMPLES`)."""
    return resources.files("etc.services").joinpath(SAMPLES[name]).read_bytes()


def form_document(title: str, paragraphs: list[str]) -> bytes:
    """A Word document: ``title`` as its heading, then a paragraph each."""
    from docx import Document

    document = Document()
    document.add_heading(title, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def add_forms(request, folder, forms: dict, skip: Callable) -> int:
    """Add each form of ``forms`` to the procedures of ``folder`` whose components
    name it (those that have it already are left alone); return how many were added."""
    made: dict[str, bytes] = {}
    added = 0
    for service in list(folder.values()):
        if not IService.providedBy(service):
            continue
        for component in service.components:
            name = component.get("template")
            if not name or name in service:
                continue
            form = forms.get(name)
            if not isinstance(form, dict):
                skip(f"form {name} of {service.code}", "the sample has no such form")
                continue
            title = str(form.get("title") or name)
            if name not in made:
                made[name] = form_document(title, [str(p) for p in form.get("paragraphs", ())])
            upload = {
                "data": base64.b64encode(made[name]).decode("ascii"),
                "encoding": "base64",
                "filename": name,
                "content-type": DOCX,
            }
            try:
                operations.create(
                    request, service, "File", {"title": title, "file": upload}, "json", name=name
                )
            except operations.ValidationFailed as exc:
                why = "; ".join(request.localizer.translate(m) for m in exc.errors.values())
                skip(f"form {name} of {service.code}", why)
                continue
            added += 1
    return added


def load_sample(request, folder, data: bytes, skip: Callable) -> None:
    """Import the sample catalog ``data`` into ``folder``, then add its forms."""
    try:
        import_services(request, folder, read_json(data), create_fields=True)
    except ImportFailed as exc:
        problems = [problem_text(request, p) for p in exc.problems[:REPORTED]]
        skip("services", "; ".join(problems))
        return
    forms = json.loads(data.decode("utf-8-sig")).get("forms") or {}
    add_forms(request, folder, forms if isinstance(forms, dict) else {}, skip)


@hookimpl
def cong_demo_item(request, obj, values, skip):
    """A catalog's ``services``: the name of a sample to load into it."""
    if not IServiceCatalog.providedBy(obj) or "services" not in values:
        return
    name = values["services"]
    if not isinstance(name, str) or name not in SAMPLES:
        skip("services", f"no sample named {str(name)[:40]!r}")
        return
    load_sample(request, obj, sample_bytes(name), skip)
