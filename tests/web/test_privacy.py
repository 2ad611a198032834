"""No client address or user agent reaches a log line or a database row for pupil requests."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sqlalchemy import String, Text, select

from schoolsafe.extensions import db
from schoolsafe.models import Report
from tests.support.services import free_port

ROOT = Path(__file__).resolve().parents[2]
ADDRESS = "198.51.100.77"
FORWARDED = "203.0.113.99"
AGENT = "MarkerBrowser/7.7 (pupil-device)"
MARKERS = (ADDRESS, FORWARDED, "MarkerBrowser")


def every_stored_text() -> str:
    """All text in every column of every table."""
    chunks = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, (String, Text))]
        if columns:
            for row in db.session.execute(select(*columns)):
                chunks.extend(str(value) for value in row)
    return "\n".join(chunks)


def test_marker_address_and_agent_are_in_no_log_and_no_table(client, make, caplog):
    caplog.set_level(logging.DEBUG)
    make.user(make.school("oak"), "dsl")
    pupil = {"environ_base": {"REMOTE_ADDR": ADDRESS},
             "headers": {"User-Agent": AGENT, "X-Forwarded-For": FORWARDED}}
    client.get("/", **pupil)
    client.get("/tell/oak", **pupil)
    client.post("/tell/oak", data={"about": "self", "choices": ["rumours"],
                                   "place1-text": "@someone"}, **pupil)
    client.post("/follow-up", data={"code": "wrong wrong wrong wrong wrong wrong"}, **pupil)
    client.post("/tell/oak", data={"about": "bogus"}, **pupil)
    assert db.session.scalar(select(Report.id)) is not None
    logged = "\n".join(r.getMessage() for r in caplog.records)
    stored = every_stored_text()
    for marker in MARKERS:
        assert marker not in logged
        assert marker not in stored


def serve(command: list[str], port: int, tmp_path: Path) -> tuple[subprocess.Popen, Path]:
    env = {**os.environ, "FLASK_APP": "wsgi.py", "SCHOOLSAFE_ENV": "development",
           "SCHOOLSAFE_INSTANCE_PATH": str(tmp_path / "instance"), "BIND": f"127.0.0.1:{port}"}
    subprocess.run([sys.executable, "-m", "flask", "db", "upgrade"], cwd=ROOT, env=env,
                   check=True, capture_output=True, timeout=120)
    subprocess.run([sys.executable, "-m", "flask", "seed-demo"], cwd=ROOT, env=env,
                   check=True, capture_output=True, timeout=120)
    log = tmp_path / "server.log"
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"),
                               stderr=subprocess.STDOUT)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)  # noqa: S310
            break
        except OSError:
            time.sleep(0.1)
    return process, log


def request_as_pupil(port: int) -> None:
    for path in ("/", "/tell/demo", "/nowhere"):
        req = urllib.request.Request(f"http://127.0.0.1:{port}{path}",  # noqa: S310
                                     headers={"User-Agent": AGENT, "X-Forwarded-For": FORWARDED})
        try:
            urllib.request.urlopen(req, timeout=5)  # noqa: S310
        except urllib.error.HTTPError:
            pass


def check_server_log(command_for_port, tmp_path: Path) -> str:
    port = free_port()
    process, log = serve(command_for_port(port), port, tmp_path)
    try:
        request_as_pupil(port)
        time.sleep(0.3)
    finally:
        process.terminate()
        process.wait(timeout=10)
    text = log.read_text()
    assert "GET /tell/demo" in text, text  # the request log is there...
    for marker in (*MARKERS, "127.0.0.1 -"):
        assert marker not in text  # ...without the address or agent
    return text


def test_development_server_request_log_has_no_address(tmp_path):
    check_server_log(lambda port: [sys.executable, "-m", "flask", "run", "--host", "127.0.0.1",
                                   "--port", str(port)], tmp_path)


def test_development_server_banner_keeps_its_own_address(tmp_path):
    ports = []

    def command(port: int) -> list[str]:
        ports.append(port)
        return [sys.executable, "-m", "flask", "run", "--host", "127.0.0.1", "--port", str(port)]

    text = check_server_log(command, tmp_path)
    assert f"Running on http://127.0.0.1:{ports[0]}" in text, text
    assert "http://-:" not in text


def test_gunicorn_access_log_has_no_address_or_agent(tmp_path):
    check_server_log(lambda port: [sys.executable, "-m", "gunicorn", "-c",
                                   "config/gunicorn.conf.py", "wsgi:app"], tmp_path)
