"""The online form and the counter: a citizen hands a dossier in without an
account; bad input comes back with its messages and nothing stored; a
Receptionist receives or refuses at the counter."""

from __future__ import annotations

from plugins.onestop.tests.pages_setup import app, client, submit_online

__all__ = ["app"]


def test_a_citizen_submits_online_without_an_account(app):
    done = submit_online(client(app))
    code = done.html.select_one(".onestop-dossier-code").get_text()
    assert code.startswith("10001-")
    assert "Mới đăng ký (1)" in done.html.select_one(".onestop-status").get_text()
