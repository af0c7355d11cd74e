"""The subsites' part of ``cong demo`` (:mod:`core.demo`): the demo file's
``"subsites"``, a list of ``{"title", "unit_kind", "code", "address", ...,
"content": [...]}``.

Each subsite is created with :func:`subsites.provisioning.create_subsite` (so it
gets its default sections), named after its title, then its ``content`` is added in
it as the kernel adds the site's. A subsite of that name already there is skipped
with a message and gets the content only, so loading twice adds nothing.
"""

from __future__ import annotations

from pyramid.traversal import resource_path

from core.demo import DemoLoader
from core.hookspecs import hookimpl
from core.names import slugify
from core.operations import ValidationFailed
from subsites.provisioning import create_subsite


@hookimpl
def cong_demo_data(request, data, loader):
    for values in data.get("subsites", ()):
        add_subsite(request, loader, values)


def add_subsite(request, loader: DemoLoader, values: dict) -> None:
    """Create a subsite (named after its title) with its default sections, then
    its ``content``; an existing subsite of that name gets the content only."""
    site = request.root
    title = values.get("title")
    if not isinstance(title, str) or not title.strip():
        loader.skip("a subsite", "it needs a title")
        return
    subsite = site.get(slugify(title))
    if subsite is not None:
        loader.skip(resource_path(subsite), "it already exists")
    else:
        data = {key: value for key, value in values.items() if key != "content"}
        try:
            subsite = create_subsite(request, site, data)
        except ValidationFailed as exc:
            loader.skip(f"subsite {title} and everything in it", loader.errors(exc))
            return
        loader.summary.items[subsite.type_name] += 1
    for item in values.get("content", ()):
        loader.add_item(subsite, item)
