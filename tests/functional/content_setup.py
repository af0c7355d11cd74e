"""Setting up content for the functional tests of the content pages.

Content is made through :mod:`core.operations` on a :class:`tests.conftest.ModelRequest`
(the ``model`` fixture), so it is stored exactly as the pages would store it.
"""

from __future__ import annotations

import base64
import io
import re

from core import operations
from core.workflow import workflow_of

#: The transition that brings a new (private) object to each state.
TO_STATE = {"published": "publish", "pending": "submit"}


def add(model, folder, type_name: str, state: str | None = None, name=None, **values):
    """Create a ``type_name`` in ``folder`` from JSON-style ``values`` (as the admin),
    optionally move it to ``state``; call ``model.commit()`` to store it."""
    obj = operations.create(model.request, folder, type_name, values, source="json", name=name)
    if state:
        workflow_of(model.request, obj).transition(model.request, obj, TO_STATE[state])
    return obj


def png_bytes(width: int = 300, height: int = 200, color: str = "#a50e0e") -> bytes:
    """A PNG image made with Pillow."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


def upload(data: bytes, filename: str, content_type: str) -> dict:
    """A file value as the JSON API takes it."""
    return {
        "data": base64.b64encode(data).decode("ascii"),
        "encoding": "base64",
        "filename": filename,
        "content-type": content_type,
    }


def token(page) -> str:
    """The CSRF token of a page's forms."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, "no csrf_token on the page"
    return found.group(1)


def add_user(site_access, login: str, password: str = "secret-1", roles=(), local=None):
    """Create a user with global ``roles``; ``local`` is ``(path, roles)`` to grant
    local roles on the object at ``path``."""
    from pyramid.traversal import find_resource

    with site_access() as site:
        user = site.principals.add_user(login, password)
        for role in roles:
            user.roles.add(role)
        if local:
            path, local_roles = local
            find_resource(site, path).local_roles[login] = tuple(local_roles)


def log_in(testapp, login: str, password: str = "secret-1"):
    """Log the client in through the login form."""
    form = testapp.get("/@@login").forms["login-form"]
    form["login"] = login
    form["password"] = password
    response = form.submit()
    assert response.status_int == 302, response.text
    return response.follow()


def flash_texts(page) -> list[str]:
    """The texts of the flash messages shown on a page."""
    return [el.get_text(" ", strip=True) for el in page.html.select(".flash-messages .alert")]


def rows(page) -> list[str]:
    """The item names of a contents table, in the order shown."""
    return [box["value"] for box in page.html.select("table.contents input[name=ids]")]
