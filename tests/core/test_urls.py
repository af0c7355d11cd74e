"""Addresses (:mod:`core.urls`): URLs made for a request, relative to its virtual
root, and, without a layer giving parts of the site hosts of their own, the single
host a request reached; with the subsites, each object's own host."""

from __future__ import annotations

from pyramid.registry import Registry
from pyramid.request import Request

from core import urls
from core.content import Folder
from subsites.provisioning import create_subsite


def tree():
    """A root folder holding ``so-y-te`` holding ``tin tức`` (a space in its name)."""
    root = Folder()
    unit = root.attach("so-y-te", Folder())
    news = unit.attach("tin tức", Folder())
    return root, unit, news


def bare_request(path="/", **environ) -> Request:
    """A request of an application with no layer above core registered."""
    request = Request.blank(path, base_url="https://cong.example", environ=environ)
    request.registry = Registry("bare")
    return request


def test_urls_of_objects_with_elements_and_query():
    root, unit, news = tree()
    request = bare_request()
    request.root = root
    made = urls.ResourceURLs(request)
    assert made.url(news) == "https://cong.example/so-y-te/tin%20t%E1%BB%A9c/"
    assert made.url(unit, "@@edit") == "https://cong.example/so-y-te/@@edit"
    assert made.url(unit, "@@add", type="Page") == "https://cong.example/so-y-te/@@add?type=Page"


def test_below_a_virtual_root_urls_start_there():
    root, unit, news = tree()
    request = bare_request(HTTP_X_VHM_ROOT="/so-y-te")
    request.root = root
    assert urls.ResourceURLs(request).url(news) == "https://cong.example/tin%20t%E1%BB%A9c/"
    assert urls.virtually_rooted(request)


def test_without_virtual_hosts_everything_lives_on_the_request_host():
    root, unit, news = tree()
    request = bare_request()
    assert urls.canonical_url(request, news) == "https://cong.example/so-y-te/tin%20t%E1%BB%A9c/"
    assert urls.path_url(request, "/so-y-te/") == "https://cong.example/so-y-te/"
    assert urls.home_url(request) == "https://cong.example/"
    assert not urls.virtually_rooted(request)


def test_with_the_subsites_an_object_lives_on_its_unit_host(model):
    unit = create_subsite(
        model.request,
        model.site,
        {"title": "Sở Y tế", "unit_kind": "department", "hostnames": "soyte.example"},
    )
    request = model.request
    assert urls.canonical_url(request, unit["gioi-thieu"]) == "http://soyte.example/gioi-thieu/"
    assert urls.canonical_url(request, model.site) == "http://localhost/"
    # on the portal's host, the portal's path form
    assert urls.path_url(request, "/so-y-te/gioi-thieu") == "http://localhost/so-y-te/gioi-thieu/"
