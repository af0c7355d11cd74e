"""Prometheus metrics of the application, at ``GET /@@metrics``.

Kept in a registry of the application's own (a ``prometheus_client``
``CollectorRegistry``, not the process-wide default, so that two applications in
one process count apart):

- ``cong_http_requests_total{route, status_class, status}``: requests answered, by
  route class (:func:`route_class`: ``static``, ``page``, ``api``, ``other``; never
  the path, whose values are unbounded), status class (``2xx``) and status;
- ``cong_http_request_duration_seconds{route}``: a histogram of the time from the
  request's arrival to its answer (its attempts after a conflict included);
- ``cong_conflict_retries_total``: attempts at a request made again after a write
  conflict (:mod:`core.conflicts`);
- ``cong_page_cache_hits_total``, ``cong_page_cache_misses_total``: visitors' pages
  served from the page cache, or not (:mod:`core.pagecache`; a scrape is a
  visitor's request too, and a miss);
- read when scraped, from the readiness checks (:mod:`core.health`):
  ``cong_ready{check}`` (1 when it passes, 0 when not) and each check's figures as
  ``cong_<figure>`` (the catalog's ``cong_index_queue_length``).

``/@@metrics`` answers in Prometheus' text format the addresses of the setting
``cong.metrics_allow`` (addresses or networks, default ``127.0.0.1 ::1``) and
Managers; everyone else is told there is no such page (404). Behind a proxy the
server must take the client's address from it (waitress' ``trusted_proxy``, as in
production.ini), or every request would come from the proxy's address.
"""

from __future__ import annotations

import ipaddress
import time

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.httpexceptions import HTTPNotFound
from pyramid.response import Response
from pyramid.tweens import INGRESS
from pyramid_retry import IBeforeRetry, is_error_retryable
from ZODB.POSException import ConflictError

from core.health import PATHS as HEALTH_PATHS
from core.health import run_checks
from core.interfaces import INavigationRoot
from core.negotiation import wants_json

#: The setting of the addresses that may read the metrics, and its default.
ALLOW_SETTING = "cong.metrics_allow"
ALLOW_DEFAULT = "127.0.0.1 ::1"
#: Held by Managers only (no role below has it): reading the metrics from anywhere.
PERMISSION = "view_metrics"
#: Operational addresses, counted as route class ``other``.
OPERATIONS = HEALTH_PATHS | {"/@@metrics"}
#: The names of the kernel's own metrics, less ``cong_`` (no check's figure takes them).
KERNEL_NAMES = frozenset(
    ("http_requests", "http_request_duration_seconds", "conflict_retries", "ready",
     "page_cache_hits", "page_cache_misses")
)  # fmt: skip
#: Where the time of a request's arrival is kept (across its attempts).
START = "cong.metrics.start"


def allowed_networks(value: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """The networks of ``cong.metrics_allow`` (addresses or networks, separated by
    spaces or commas); raise :class:`ConfigurationError` on one that is neither."""
    networks = []
    for item in value.replace(",", " ").split():
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ConfigurationError(
                f"{ALLOW_SETTING}: {item!r} is neither an IP address nor a network"
            ) from None
    return tuple(networks)


def route_class(request, static_prefixes: frozenset[str]) -> str:
    """``static`` (a static view's files), ``api`` (JSON asked for or sent, or an
    ``@``-service such as ``@search``), ``other`` (health, metrics, ``OPTIONS``) or
    ``page``. Reads the raw path (WSGI's latin-1 text): a path that is not UTF-8
    is classed, and answered 400 further in."""
    path = request.environ.get("PATH_INFO", "")
    if request.method == "OPTIONS" or path.rstrip("/") in OPERATIONS:
        return "other"
    segments = path.strip("/").split("/")
    if segments[0] in static_prefixes:
        return "static"
    if wants_json(request) or any(s[:1] == "@" and s[:2] != "@@" for s in segments):
        return "api"
    return "page"


class ScrapeTime:
    """The figures read when the metrics are scraped: the page cache's counts and
    the readiness checks."""

    def __init__(self, registry):
        self.registry = registry

    def collect(self):
        cache = self.registry.cong_page_cache
        yield CounterMetricFamily(
            "cong_page_cache_hits", "Visitors' pages served from the page cache", cache.hits
        )
        yield CounterMetricFamily(
            "cong_page_cache_misses", "Visitors' pages not found in the page cache", cache.misses
        )
        results = run_checks(self.registry)
        ready = GaugeMetricFamily(
            "cong_ready", "1 when the readiness check passes, else 0", labels=("check",)
        )
        for result in results:
            ready.add_metric((result.name,), 1 if result.ok else 0)
        yield ready
        seen = set(KERNEL_NAMES)
        for result in results:
            for figure, value in result.figures.items():
                if figure not in seen:  # (a name taken: the kernel's, or an earlier check's)
                    seen.add(figure)
                    name, about = f"cong_{figure}", f"{figure} (readiness check {result.name})"
                    yield GaugeMetricFamily(name, about, value)


class Metrics:
    """The application's metrics: a ``CollectorRegistry`` of its own and the
    collectors the tween and the retry subscriber feed."""

    def __init__(self, registry, allow: tuple):
        self.allow = allow
        self.collectors = CollectorRegistry()
        self.requests = Counter(
            "cong_http_requests",
            "HTTP requests answered, by route class and status",
            ("route", "status_class", "status"),
            registry=self.collectors,
        )
        self.latency = Histogram(
            "cong_http_request_duration_seconds",
            "Time from a request's arrival to its answer, by route class",
            ("route",),
            registry=self.collectors,
        )
        self.conflict_retries = Counter(
            "cong_conflict_retries",
            "Attempts at a request made again after a write conflict",
            registry=self.collectors,
        )
        self.collectors.register(ScrapeTime(registry))

    def observe(self, route: str, status: int, seconds: float) -> None:
        """Count one answered request."""
        self.requests.labels(route, f"{status // 100}xx", str(status)).inc()
        self.latency.labels(route).observe(seconds)

    def allows(self, address: str | None) -> bool:
        """Whether ``address`` is in ``cong.metrics_allow``."""
        try:
            parsed = ipaddress.ip_address(address or "")
        except ValueError:
            return False
        if parsed.version == 6 and parsed.ipv4_mapped is not None:
            parsed = parsed.ipv4_mapped
        return any(parsed in network for network in self.allow)


def static_prefixes(registry) -> frozenset[str]:
    """The first path segment of every static view."""
    found = set()
    for item in registry.introspector.get_category("static views") or ():
        name = item["introspectable"]["name"] or ""
        if "://" not in name:
            found.add(name.strip("/").split("/")[0])
    return frozenset(found)


def metrics_tween_factory(handler, registry):
    """Outermost: count each answered request, its route class, status and time; an
    attempt thrown away for another one (a conflict) is not counted."""
    metrics: Metrics = registry.cong_metrics
    prefixes = static_prefixes(registry)

    def metrics_tween(request):
        start = request.environ.setdefault(START, time.perf_counter())
        route = route_class(request, prefixes)
        try:
            response = handler(request)
        except Exception as error:
            if not is_error_retryable(request, error):
                metrics.observe(route, 500, time.perf_counter() - start)
            raise
        error = getattr(request, "exception", None)
        if error is None or not is_error_retryable(request, error):
            metrics.observe(route, response.status_code, time.perf_counter() - start)
        return response

    return metrics_tween


def count_retry(event) -> None:
    """IBeforeRetry subscriber: count an attempt made again after a conflict."""
    if isinstance(event.exception, ConflictError):
        event.request.registry.cong_metrics.conflict_retries.inc()


def metrics_view(context, request) -> Response:
    """``/@@metrics``: the metrics in Prometheus' text format, for the allowed
    addresses and Managers; a 404 for everyone else."""
    metrics: Metrics = request.registry.cong_metrics
    if not (metrics.allows(request.client_addr) or request.has_permission(PERMISSION, context)):
        raise HTTPNotFound()
    response = Response(body=generate_latest(metrics.collectors))
    response.headers["Content-Type"] = CONTENT_TYPE_LATEST
    response.cache_control = "no-store"
    return response


def includeme(config: Configurator) -> None:
    """The application's metrics, the tween counting requests, the retry counter
    and the ``@@metrics`` view."""
    registry = config.registry
    allow = allowed_networks(registry.settings.get(ALLOW_SETTING, ALLOW_DEFAULT))
    registry.cong_metrics = Metrics(registry, allow)
    config.add_tween(
        "core.metrics.metrics_tween_factory",
        under=INGRESS,
        over="core.tweens.decoding_tween_factory",
    )
    config.add_subscriber(count_retry, IBeforeRetry)
    config.add_view(
        metrics_view, context=INavigationRoot, name="metrics", request_method=("GET", "HEAD")
    )
