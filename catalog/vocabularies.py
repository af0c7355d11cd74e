"""Vocabularies the catalog knows: ``plone.app.vocabularies.Keywords``, the tags
(the values of the catalog fields Plone clients call ``Subject``) on what the
requester may view, as plone.restapi's ``@vocabularies`` gives them."""

from __future__ import annotations

from pyramid.config import Configurator

from catalog.fields import get_catalog_fields
from core.names import fold

KEYWORDS = "plone.app.vocabularies.Keywords"
SUBJECT = "Subject"


def keyword_terms(request, context) -> list[tuple[str, str]]:
    """Each tag in use on what the requester may view, in alphabetical order
    (diacritics aside)."""
    from catalog import search

    names = [n for n, f in get_catalog_fields(request.registry).items() if SUBJECT in f.aliases]
    if not names:
        return []
    counts = search(request, size=0, facets=tuple(names)).facets
    tags = {str(tag) for name in names for tag in counts.get(name, {})}
    return [(tag, tag) for tag in sorted(tags, key=lambda tag: (fold(tag).casefold(), tag))]


def includeme(config: Configurator) -> None:
    config.add_vocabulary(KEYWORDS, keyword_terms)
