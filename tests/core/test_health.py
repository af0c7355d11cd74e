"""``/@@health`` tells a load balancer the process is alive, and ``/@@health/ready``
whether the database and the full-text index answer."""

from __future__ import annotations

import shutil

import pytest
import webtest

from core import main
from core.testing import make_settings


@pytest.fixture(scope="module")
def health_app(tmp_path_factory):
    """An application of its own: the tests break its index and its database."""
    data_dir = tmp_path_factory.mktemp("health")
    app = main({}, **make_settings(data_dir, **{"cong.plugins": ""}))
    yield app, data_dir
    app.registry._zodb_databases[""].close()


def test_liveness_and_readiness_answer_ok_never_cached(health_app):
    app, _ = health_app
    client = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "192.0.2.7"})
    live = client.get("/@@health")
    assert live.json == {"status": "ok"}
    assert live.headers["Cache-Control"] == "no-store"
    ready = client.get("/@@health/ready")
    assert ready.json == {
        "status": "ok",
        "checks": {
            "database": {"status": "ok"},
            "text_index": {"status": "ok", "index_queue_length": 0},
        },
    }
    assert ready.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in ready.headers
    hits = app.registry.cong_page_cache.hits
    client.get("/@@health/ready")
    assert app.registry.cong_page_cache.hits == hits  # never through the page cache


def test_not_ready_when_the_text_index_or_the_database_is_gone(health_app):
    app, data_dir = health_app
    client = webtest.TestApp(app)
    client.get("/@@health/ready", status=200)  # the index opened (it is made on first use)
    shutil.rmtree(data_dir / "whoosh")
    broken = client.get("/@@health/ready", status=503)
    assert broken.json["status"] == "unavailable"
    assert broken.json["reason"].startswith("text_index: ")
    assert broken.json["checks"]["database"] == {"status": "ok"}
    assert broken.json["checks"]["text_index"]["status"] == "failed"
    assert str(data_dir) not in broken.text  # no path of the machine

    app.registry._zodb_databases[""].close()
    down = client.get("/@@health/ready", status=503)
    assert down.json["reason"].startswith("database: ")
    assert down.json["checks"]["database"]["status"] == "failed"
    assert client.get("/@@health").json == {"status": "ok"}  # alive all the same
