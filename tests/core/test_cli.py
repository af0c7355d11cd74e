"""The ``cong`` command line, run in-process on a real FileStorage (and once as a
separate process, to meet a database held by another one)."""

from __future__ import annotations

import fcntl
import io
import json
import os
import select
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from ZODB.FileStorage import FileStorage

from core.cli.main import main
from core.hookspecs import hookimpl
from core.testing import ADMIN_PASSWORD, login, run_cong, stored_site, web, write_ini

REPOSITORY = Path(__file__).resolve().parents[2]


# helpers (also used by test_evolve and the catalog's tests) -------------------------
def install_plugin(
    monkeypatch, tmp_path: Path, name: str, target: str, group: str = "cong.plugins"
) -> None:
    """Make ``target`` (``module:attribute``) an installed plugin called ``name``:
    a distribution's metadata with an entry point in ``group`` (``cong.plugins``, or
    another group such as ``cong.text_backends``), put on sys.path."""
    dist = tmp_path / "site-packages" / f"cong_test_{name}-0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: cong-test-{name}\nVersion: 0\n")
    (dist / "entry_points.txt").write_text(f"[{group}]\n{name} = {target}\n")
    monkeypatch.syspath_prepend(str(dist.parent))


SMALL_DEMO = {
    "content": [
        {
            "type": "Folder",
            "id": "phong-ban",
            "title": "Phòng ban",
            "state": "private",
            "children": [{"type": "Page", "id": "noi-bo", "title": "Nội bộ", "state": "private"}],
        }
    ],
    "users": [{"login": "thu", "fullname": "Lê Thu", "password": "mat-khau-thu", "roles": []}],
    "groups": [{"id": "to-cong-tac", "title": "Tổ công tác", "members": ["thu"]}],
}


@pytest.fixture
def ini(tmp_path):
    return write_ini(tmp_path)


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "var"


@pytest.fixture
def small_site(tmp_path, ini, capsys):
    """A site with a private folder /phong-ban, a user ``thu`` and a group."""
    demo = tmp_path / "small.json"
    demo.write_text(json.dumps(SMALL_DEMO), encoding="utf-8")
    assert run_cong(capsys, ini, "demo", "--file", str(demo)).status == 0
    return ini


# users -----------------------------------------------------------------------------
def test_an_added_user_can_log_in_and_is_listed(ini, data_dir, capsys):
    details = ["--fullname", "Nguyễn Thu Trang", "--email", "trang@songlam.gov.vn"]
    password = ["--password", "mat-khau-cli-7"]
    result = run_cong(
        capsys, ini, "user", "add", "bientap", *details, "--role", "Editor", *password
    )
    assert result.status == 0
    assert "Added user bientap" in result.out
    listing = run_cong(capsys, ini, "user", "list").out
    line = next(row for row in listing.splitlines() if row.startswith("bientap"))
    assert "Nguyễn Thu Trang" in line and "Editor" in line
    assert "argon2" not in listing  # never the password hash
    with web(data_dir) as client:
        login(client, "bientap", "mat-khau-cli-7")
        login(client, "bientap", "wrong-password", status=200)


def test_a_piped_password_is_read_from_standard_input(ini, data_dir, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("tu-stdin-123\n"))
    assert run_cong(capsys, ini, "user", "add", "thanh").status == 0
    with web(data_dir) as client:
        login(client, "thanh", "tu-stdin-123")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--role", "Emperor", "--password", "mat-khau-cli-7"], "Unknown role 'Emperor'"),
        (["--password", "abc"], "10"),  # too short: the message names the minimum
        (["--password", "Password123"], "too common"),  # the command line speaks English
        (["--role", "Owner", "--password", "mat-khau-cli-7"], "Unknown role 'Owner'"),
    ],
)
def test_refused_users_are_not_stored(ini, data_dir, capsys, args, message):
    result = run_cong(capsys, ini, "user", "add", "moi", *args)
    assert result.status == 2
    assert message in result.err
    with stored_site(data_dir) as site:
        assert "moi" not in site.principals.users


def test_a_login_cannot_be_added_twice_or_be_malformed(ini, capsys):
    assert run_cong(capsys, ini, "user", "add", "admin", "--password", "mat-khau-cli-7").status == 2
    assert (
        run_cong(capsys, ini, "user", "add", "Có Dấu", "--password", "mat-khau-cli-7").status == 2
    )
    assert run_cong(capsys, ini, "user", "list").out.count("\n") == 2  # header + admin


def test_passwd_changes_the_password(ini, data_dir, capsys):
    result = run_cong(capsys, ini, "user", "passwd", "admin", "--password", "moi-mat-khau")
    assert result.status == 0
    with web(data_dir) as client:
        login(client, "admin", "moi-mat-khau")
        login(client, "admin", ADMIN_PASSWORD, status=200)


def test_passwd_refuses_an_unknown_user_or_a_short_password(ini, data_dir, capsys):
    unknown = run_cong(capsys, ini, "user", "passwd", "nobody", "--password", "mat-khau-cli-7")
    assert unknown.status == 2 and "There is no user 'nobody'" in unknown.err
    assert run_cong(capsys, ini, "user", "passwd", "admin", "--password", "ab").status == 2
    with web(data_dir) as client:
        login(client, "admin", ADMIN_PASSWORD)


def run_in_terminal(ini: Path, args: list[str], answers: list[tuple[str, str]]) -> tuple[int, str]:
    """Run ``cong`` as a separate process in a pseudo-terminal, typing each answer
    when its prompt appears; ``answers`` is a list of ``(prompt, text)``. Return
    the exit status and what the terminal showed."""
    master, slave = os.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "core.cli", "-c", str(ini), *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=REPOSITORY,
        start_new_session=True,  # then the terminal becomes the controlling one:
        preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
    )
    os.close(slave)
    screen, pending = "", list(answers)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _w, _x = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 4096).decode("utf-8", "replace")
            except OSError:  # the process ended and closed the terminal
                break
            screen += chunk
            if pending and screen.rstrip().endswith(pending[0][0]):
                os.write(master, (pending.pop(0)[1] + "\n").encode())
        elif process.poll() is not None:
            break
    os.close(master)
    return process.wait(timeout=10), screen


def answers(first: str, second: str) -> list[tuple[str, str]]:
    return [("New password for thanh:", first), ("Type it again:", second)]


def test_a_password_typed_twice_at_the_prompt_is_set(ini, data_dir):
    status, screen = run_in_terminal(
        ini, ["user", "add", "thanh"], answers("mat-khau-go", "mat-khau-go")
    )
    assert status == 0, screen
    assert "New password for thanh:" in screen and "mat-khau-go" not in screen  # not echoed
    with web(data_dir) as client:
        login(client, "thanh", "mat-khau-go")


def test_two_different_passwords_at_the_prompt_change_nothing(ini, data_dir):
    status, screen = run_in_terminal(
        ini, ["user", "add", "thanh"], answers("mot-mat-khau", "mat-khau-khac")
    )
    assert status == 2
    assert "The two passwords differ; nothing was changed." in screen
    with stored_site(data_dir) as site:
        assert "thanh" not in site.principals.users


# roles -----------------------------------------------------------------------------
def test_a_global_role_is_granted_and_revoked(ini, data_dir, capsys):
    run_cong(capsys, ini, "user", "add", "duyet", "--password", "mat-khau-cli-7")
    assert run_cong(capsys, ini, "user", "grant", "duyet", "Reviewer").status == 0
    with stored_site(data_dir) as site:
        assert list(site.principals.users["duyet"].roles) == ["Reviewer"]
    again = run_cong(capsys, ini, "user", "grant", "duyet", "Reviewer")
    assert again.status == 0 and "already" in again.out
    assert run_cong(capsys, ini, "user", "revoke", "duyet", "Reviewer").status == 0
    with stored_site(data_dir) as site:
        assert list(site.principals.users["duyet"].roles) == []


def test_a_local_role_opens_one_folder_to_a_user(small_site, data_dir, capsys):
    with web(data_dir) as client:
        login(client, "thu", "mat-khau-thu")
        assert client.get("/phong-ban/noi-bo", status=403)
    result = run_cong(capsys, small_site, "user", "grant", "thu", "Reader", "--path", "/phong-ban")
    assert result.status == 0 and "on /phong-ban" in result.out
    with web(data_dir) as client:
        login(client, "thu", "mat-khau-thu")
        assert "Nội bộ" in client.get("/phong-ban/noi-bo").text
    revoked = run_cong(
        capsys, small_site, "user", "revoke", "thu", "Reader", "--path", "/phong-ban"
    )
    assert revoked.status == 0
    with stored_site(data_dir) as site:
        assert "thu" not in site["phong-ban"].local_roles
    with web(data_dir) as client:
        login(client, "thu", "mat-khau-thu")
        assert client.get("/phong-ban/noi-bo", status=403)


def test_a_local_role_can_be_granted_to_a_group(small_site, data_dir, capsys):
    args = ("user", "grant", "group:to-cong-tac", "Editor", "--path", "/phong-ban")
    assert run_cong(capsys, small_site, *args).status == 0
    with stored_site(data_dir) as site:
        assert site["phong-ban"].local_roles["group:to-cong-tac"] == ("Editor",)
    with web(data_dir) as client:
        login(client, "thu", "mat-khau-thu")  # a member of the group
        assert client.get("/phong-ban/noi-bo").status_int == 200


@pytest.mark.parametrize(
    "args, message",
    [
        (["nobody", "Editor"], "There is no user 'nobody'"),
        (["group:nobody", "Editor"], "There is no group 'group:nobody'"),
        (["thu", "Emperor"], "Unknown role 'Emperor'"),
        (["thu", "Editor", "--path", "/khong-co"], "There is no content at /khong-co"),
    ],
)
@pytest.mark.parametrize("command", ["grant", "revoke"])
def test_unknown_users_roles_and_paths_are_refused(
    small_site, data_dir, capsys, command, args, message
):
    result = run_cong(capsys, small_site, "user", command, *args)
    assert result.status == 2
    assert message in result.err
    with stored_site(data_dir) as site:
        assert dict(site["phong-ban"].local_roles) == {"admin": ("Owner",)}
        assert list(site.principals.users["thu"].roles) == []


def test_manager_is_a_global_role_only(small_site, data_dir, capsys):
    args = ("user", "grant", "thu", "Manager", "--path", "/phong-ban")
    assert run_cong(capsys, small_site, *args).status == 2
    with stored_site(data_dir) as site:
        assert "thu" not in site["phong-ban"].local_roles


# the command line itself -------------------------------------------------------------
class HelloPlugin:
    """A plugin adding the command ``hello``."""

    @hookimpl
    def cong_cli_commands(self, subparsers):
        cmd = subparsers.add_parser("hello", help="greet the site")
        cmd.add_argument("--name", default="bạn")
        cmd.set_defaults(func=self.hello)

    @staticmethod
    def hello(env, args):
        assert env.request.root is env.root
        print(f"Xin chào {args.name}, từ {env.root.title}!")
        env.root.greeted = args.name  # committed with the command


HELLO_PLUGIN = HelloPlugin()


def test_plugins_named_in_the_ini_add_commands(tmp_path, capsys, monkeypatch):
    install_plugin(monkeypatch, tmp_path, "hello", "tests.core.test_cli:HELLO_PLUGIN")
    ini = write_ini(tmp_path, cong_plugins="news hello")
    result = run_cong(capsys, ini, "hello", "--name", "Lan")
    assert result.status == 0
    assert result.out == "Xin chào Lan, từ Cổng thông tin điện tử!\n"
    with stored_site(tmp_path / "var") as site:
        assert site.greeted == "Lan"
    with pytest.raises(SystemExit):
        main(["-c", str(ini), "--help"])
    assert "hello" in capsys.readouterr().out


def test_a_plugin_command_is_unknown_when_the_plugin_is_not_enabled(tmp_path, capsys, monkeypatch):
    install_plugin(monkeypatch, tmp_path, "hello", "tests.core.test_cli:HELLO_PLUGIN")
    with pytest.raises(SystemExit) as exited:
        main(["-c", str(write_ini(tmp_path)), "hello"])
    assert exited.value.code == 2
    assert "invalid choice: 'hello'" in capsys.readouterr().err


def test_a_missing_or_broken_ini_gets_a_message(tmp_path, capsys):
    missing = run_cong(capsys, tmp_path / "nowhere.ini", "user", "list")
    assert missing.status == 2 and "does not exist" in missing.err
    broken = tmp_path / "broken.ini"
    broken.write_text("no section here\n")
    assert run_cong(capsys, broken, "user", "list").status == 2
    unknown_plugin = run_cong(
        capsys, write_ini(tmp_path, cong_plugins="news nosuch"), "user", "list"
    )
    assert unknown_plugin.status == 2 and "'nosuch'" in unknown_plugin.err


def test_no_command_is_a_usage_error(ini, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["-c", str(ini)])
    assert exited.value.code == 2
    assert "COMMAND" in capsys.readouterr().err


def test_the_shell_stores_only_what_is_committed(ini, data_dir, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("root.title = 'Chưa lưu'\nprint(root.title)\n"))
    result = run_cong(capsys, ini, "shell")
    assert result.status == 0 and "Chưa lưu" in result.out
    with stored_site(data_dir) as site:
        assert site.title == "Cổng thông tin điện tử"
    monkeypatch.setattr(
        sys,
        "stdin",
        io.StringIO(
            "root.title = 'Đã lưu'\ntransaction.commit()\nregistry.settings['cong'].plugins\n"
        ),
    )
    result = run_cong(capsys, ini, "shell")
    assert "('news',)" in result.out
    with stored_site(data_dir) as site:
        assert site.title == "Đã lưu"


def test_a_database_held_by_the_server_gets_a_plain_message(ini, data_dir, capsys):
    assert run_cong(capsys, ini, "user", "list").status == 0  # creates the database
    held = FileStorage(str(data_dir / "Data.fs"))  # as a running server holds it
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "core.cli",
                "-c",
                str(ini),
                "user",
                "add",
                "x1",
                "--password",
                "mat-khau-cli-7",
            ],
            cwd=REPOSITORY,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        held.close()
    assert done.returncode == 3
    assert (
        f"The database at {data_dir / 'Data.fs'} is in use by another process (is the server "
        "running?). Stop it, or use a ZEO setup, then run this command again."
    ) in done.stderr
    assert "Traceback" not in done.stderr
    with stored_site(data_dir) as site:
        assert "x1" not in site.principals.users
