"""A whole password reset through real gunicorn leaves its secret in no log gunicorn or the
app writes: the emailed code travels only in POST bodies, never in a URL."""

from __future__ import annotations

import email
import http.cookiejar
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from email import policy
from pathlib import Path

import pytest

from tests.support.processes import ChildProcess, free_port, wait_until

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
DSL = "dsl@demo.school.invalid"  # made by `flask seed-demo`
NEW_PASSWORD = "seven amber kites over the harbour"


class Browser:
    """A plain HTTP client with cookies, reading CSRF tokens from forms as a browser would."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> tuple[int, str, str]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, form: dict[str, str], token_from: str) -> tuple[int, str, str]:
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', token_from)
        body = urllib.parse.urlencode({**form, "csrf_token": token.group(1)}).encode()
        return self._open(urllib.request.Request(self.base + path, data=body))

    def _open(self, request: urllib.request.Request) -> tuple[int, str, str]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), response.url
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), error.url


def start_gunicorn(tmp_path: Path) -> tuple[ChildProcess, int, dict[str, str]]:
    """The production server and settings file, logging access and errors to files."""
    port = free_port()
    env = {**os.environ, "FLASK_APP": "wsgi.py", "SCHOOLSAFE_ENV": "development",
           "SCHOOLSAFE_INSTANCE_PATH": str(tmp_path / "instance"), "LOG_LEVEL": "DEBUG",
           "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"}
    for command in ("db", "upgrade"), ("seed-demo",):
        subprocess.run([sys.executable, "-m", "flask", *command], cwd=ROOT, env=env,  # noqa: S603
                       check=True, capture_output=True, timeout=120)
    server = ChildProcess("gunicorn", tmp_path / "app.log")
    server.start([str(GUNICORN), "-c", "config/gunicorn.conf.py",
                  "--access-logfile", str(tmp_path / "access.log"),
                  "--error-logfile", str(tmp_path / "error.log"), "wsgi:app"], cwd=ROOT, env=env)

    def answers() -> bool:
        try:
            return Browser(port).get("/")[0] == 200
        except OSError:
            return False

    if not wait_until(answers, timeout=60, interval=0.2):
        server.stop()
        raise server.failure("not serving after 60 s")
    return server, port, env


def emailed(tmp_path: Path) -> str:
    [eml] = (tmp_path / "instance" / "outbox").glob("*-password_reset.eml")
    return email.message_from_bytes(eml.read_bytes(), policy=policy.default).get_content()


def test_a_whole_reset_through_gunicorn_leaves_the_code_in_no_log(tmp_path):
    server, port, _ = start_gunicorn(tmp_path)
    try:
        browser = Browser(port)
        _, form, _ = browser.get("/staff/forgot-password")
        status, sent, _ = browser.post("/staff/forgot-password", {"email": DSL}, form)
        assert status == 200 and "Code from the email" in sent
        body = emailed(tmp_path)
        code = re.search(r"^ +(\S{5}-\S{5})$", body, re.MULTILINE).group(1)
        # Follow the email: open its link, type email and code, then the new password.
        [link] = re.findall(r"https?://\S+", body)
        _, code_form, _ = browser.get(urllib.parse.urlsplit(link).path)
        status, password_form, _ = browser.post("/staff/reset-password",
                                                {"email": DSL, "code": code}, code_form)
        assert status == 200 and "New password again" in password_form
        status, signed_out, landed = browser.post(
            "/staff/reset-password", {"email": DSL, "code": code, "password": NEW_PASSWORD,
                                      "confirm": NEW_PASSWORD}, password_form)
        assert landed.endswith("/staff/sign-in") and "Your password has been changed" in signed_out
        status, _, landed = browser.post("/staff/sign-in", {"email": DSL,
                                                            "password": NEW_PASSWORD}, signed_out)
        assert "/staff/two-factor" in landed  # the new password works
    finally:
        server.stop()
    access = (tmp_path / "access.log").read_text()
    assert '"POST /staff/reset-password HTTP/1.1" 302' in access  # the log is there...
    assert '"GET /staff/sign-in HTTP/1.1" 200' in access
    logs = access + (tmp_path / "error.log").read_text() + (tmp_path / "app.log").read_text()
    assert "DEBUG" in logs or "INFO" in logs  # ...and so is the app's own
    for secret in (code, code.replace("-", ""), NEW_PASSWORD):
        assert secret not in logs  # ...without the secret
    assert "/staff/reset-password/" not in access and "?" not in access
