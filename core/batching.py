"""Batching of long listings: ``b_start`` / ``b_size`` as in plone.restapi."""

from __future__ import annotations

from urllib.parse import urlencode

from core import params
from core.api.prefix import client_path_url, client_url

#: Largest page (``b_size``): a larger one asked for is this one.
MAX_SIZE = 200
#: Largest ``b_start`` accepted (past the last item, a page is empty).
MAX_START = 10**9


def batch_params(request, default_size: int, max_size: int = MAX_SIZE) -> tuple[int, int]:
    """``(start, size)`` from the request: a ``b_size`` outside 1 to ``max_size`` is
    brought within it; a ``b_start`` that is not a number from 0 to :data:`MAX_START`,
    or either given twice, raises :class:`core.params.BadParameter` (400)."""
    start = params.integer(request, "b_start", 0, minimum=0, maximum=MAX_START)
    size = params.integer(request, "b_size", default_size, minimum=1, maximum=max_size, clamp=True)
    return start, size


class Batch:
    """One page of a listing, with what is needed to link to the others."""

    def __init__(self, items: list, total: int, start: int, size: int, request):
        self.items = items
        self.total = total
        self.start = start
        self.size = size
        self.request = request

    @classmethod
    def from_iterable(cls, iterable, request, default_size: int) -> Batch:
        """A batch of an iterable of unknown length, counting it while skipping."""
        start, size = batch_params(request, default_size)
        items, total = [], 0
        for total, item in enumerate(iterable, start=1):
            if start < total <= start + size:
                items.append(item)
        return cls(items, total, start, size, request)

    @classmethod
    def from_folder(cls, folder, request, default_size: int) -> Batch:
        """A batch of a folder's children, loading only the ones shown."""
        start, size = batch_params(request, default_size)
        return cls(folder.slice(start, size), len(folder), start, size, request)

    @property
    def url(self) -> str:
        """The address of this page as the client asked for it (``++api++`` and the
        query included): the ``@id`` of a listing's JSON."""
        return client_url(self.request)

    def _url(self, start: int) -> str:
        query = [(k, v) for k, v in self.request.GET.items() if k not in ("b_start", "b_size")]
        query += [("b_start", str(start)), ("b_size", str(self.size))]
        return client_path_url(self.request) + "?" + urlencode(sorted(query))

    @property
    def next_url(self) -> str | None:
        return self._url(self.start + self.size) if self.start + self.size < self.total else None

    @property
    def prev_url(self) -> str | None:
        return self._url(max(self.start - self.size, 0)) if self.start > 0 else None

    def as_json(self, items: list) -> dict:
        """plone.restapi's listing of this page's ``items`` (already serialized):
        ``items``, ``items_total`` and, when there is more than one page, ``batching``."""
        data = {"items": items, "items_total": self.total}
        links = self.links()
        if links is not None:
            data["batching"] = links
        return data

    def links(self) -> dict:
        """plone.restapi's ``batching`` object (None when everything fits)."""
        if self.total <= self.size and self.start == 0:
            return None
        last = max((self.total - 1) // self.size * self.size, 0)
        links = {"@id": self.url, "first": self._url(0), "last": self._url(last)}
        if self.next_url:
            links["next"] = self.next_url
        if self.prev_url:
            links["prev"] = self.prev_url
        return links
