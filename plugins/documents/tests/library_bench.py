"""The library's part of the documents benchmark (:mod:`plugins.documents.tests.bench`):
filled when the library exists."""

BROWSE_PAGES: tuple[str, ...] = ()


def add_legal_documents(m, codes, count, rng, today) -> None:
    return None
