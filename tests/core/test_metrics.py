"""``/@@metrics``: Prometheus metrics of requests, conflicts, the page cache and the
index queue, for the allowed addresses and Managers only."""

from __future__ import annotations

import pytest
import webtest
from prometheus_client.parser import text_string_to_metric_families
from pyramid.exceptions import ConfigurationError

from core import main
from core.clock import frozen, now
from core.metrics import allowed_networks
from core.testing import FlakyPlugin, api_token, login, make_settings


@pytest.fixture(scope="module")
def metrics_app(tmp_path_factory):
    from core import plugins

    original = plugins.make_plugin_manager

    def with_flaky(names):
        pm = original(names)
        pm.register(FlakyPlugin(), name="flaky")
        return pm

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(plugins, "make_plugin_manager", with_flaky)
        settings = {"cong.plugins": "", "cong.metrics_allow": "127.0.0.1, ::1 10.9.0.0/16"}
        app = main({}, **make_settings(tmp_path_factory.mktemp("metrics"), **settings))
    yield app
    app.registry._zodb_databases[""].close()


def scrape(app, address="127.0.0.1") -> dict:
    """``{(sample name, frozenset(labels)): value}`` of ``/@@metrics``, parsed as
    Prometheus does."""
    client = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": address})
    response = client.get("/@@metrics")
    assert response.content_type == "text/plain"
    assert response.headers["Cache-Control"] == "no-store"
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def requests(samples, route, status) -> float:
    labels = {"route": route, "status": str(status), "status_class": f"{str(status)[0]}xx"}
    return samples.get(("cong_http_requests_total", frozenset(labels.items())), 0)


def test_requests_are_counted_by_route_class_and_status(metrics_app):
    before = scrape(metrics_app)
    visitor = webtest.TestApp(metrics_app)
    visitor.get("/")
    visitor.get("/khong-co-trang-nay", status=404)
    visitor.get("/_static/khong-co.css", status=404)
    token = api_token(webtest.TestApp(metrics_app))
    client = webtest.TestApp(metrics_app, extra_environ={"HTTP_ACCEPT": "application/json"})
    client.authorization = ("Bearer", token)
    client.get("/@navigation")
    after = scrape(metrics_app)
    assert requests(after, "page", 200) == requests(before, "page", 200) + 1
    assert requests(after, "page", 404) == requests(before, "page", 404) + 1
    assert requests(after, "static", 404) == requests(before, "static", 404) + 1
    assert requests(after, "api", 200) >= requests(before, "api", 200) + 2  # @login, @navigation
    assert requests(after, "other", 200) == requests(before, "other", 200) + 1  # a scrape
    buckets = {
        dict(labels)["le"]
        for (name, labels), _ in after.items()
        if name == "cong_http_request_duration_seconds_bucket" and ("route", "page") in labels
    }
    assert {"0.1", "1.0", "+Inf"} <= buckets
    count = ("cong_http_request_duration_seconds_count", frozenset({("route", "page")}))
    assert after[count] == before.get(count, 0) + 2


def test_retried_conflicts_page_cache_and_index_queue(metrics_app):
    before = scrape(metrics_app)
    assert webtest.TestApp(metrics_app).post("/@@flaky").text == "ok"
    visitor = webtest.TestApp(metrics_app)
    with frozen(now()):  # the page cache keys on the minute: don't cross one
        visitor.get("/")
        visitor.get("/")
    after = scrape(metrics_app)
    retries = ("cong_conflict_retries_total", frozenset())
    assert after[retries] == before[retries] + 1
    assert requests(after, "page", 503) == requests(before, "page", 503)  # the thrown-away try
    hits = ("cong_page_cache_hits_total", frozenset())
    assert after[hits] >= before[hits] + 1
    assert ("cong_page_cache_misses_total", frozenset()) in after
    assert after[("cong_index_queue_length", frozenset())] >= 0
    assert after[("cong_ready", frozenset({("check", "text_index")}))] == 1
    assert after[("cong_ready", frozenset({("check", "database")}))] == 1


def test_others_are_told_there_is_no_such_page_managers_may_read(metrics_app):
    outsider = webtest.TestApp(metrics_app, extra_environ={"REMOTE_ADDR": "192.0.2.7"})
    assert "cong_http_requests_total" not in outsider.get("/@@metrics", status=404).text
    assert scrape(metrics_app, "10.9.3.4")  # in an allowed network
    assert scrape(metrics_app, "::ffff:127.0.0.1")
    manager = webtest.TestApp(metrics_app, extra_environ={"REMOTE_ADDR": "192.0.2.8"})
    login(manager)
    assert "cong_http_requests_total" in manager.get("/@@metrics").text


def test_a_bad_allow_setting_stops_start_up():
    assert len(allowed_networks("127.0.0.1 ::1, 10.0.0.0/8")) == 3
    with pytest.raises(ConfigurationError, match="cong.metrics_allow"):
        allowed_networks("127.0.0.1 localhost")
