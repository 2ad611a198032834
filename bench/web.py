"""HTTP for the benchmarks: gunicorn as production runs it, and a small keep-alive browser.

gunicorn is started with config/gunicorn.conf.py, so the benchmark measures the settings we
ship (workers, threads, access log). The browser keeps one connection open, remembers
cookies and reads CSRF tokens from forms, which is all the pupil and staff pages need.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from common import ROOT, WORK

GUNICORN = Path(sys.executable).with_name("gunicorn")
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_COOKIE = re.compile(r"^([^=]+)=([^;]*)")


def free_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn serving an app module, in its own process group, logging to a file."""

    def __init__(self, app: str, env: dict[str, str], workers: int = 2, name: str = "app"):
        self.port = free_port()
        self.log_path = WORK / f"gunicorn-{name}.log"
        self.env = {**os.environ, **env, "BIND": f"127.0.0.1:{self.port}",
                    "WEB_CONCURRENCY": str(workers), "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}"}
        self.app = app
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        WORK.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                [str(GUNICORN), "-c", str(ROOT / "config" / "gunicorn.conf.py"), self.app],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        self._wait_until_serving()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)

    def _wait_until_serving(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_path.read_text()[-3000:]}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start:\n{self.log_path.read_text()[-3000:]}")

    def worker_pids(self) -> list[int]:
        """The worker processes (children of the master)."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the process ended while we looked
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return pids


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def resident_mb(pid: int) -> float:
    """Resident set size of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


class Browser:
    """One keep-alive connection with a cookie jar, like one browser tab."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, form: dict | list | None = None
                ) -> tuple[int, str, dict[str, str]]:
        """Send one request; returns status, body and headers. Redirects are not followed."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):
            # The server closed a kept-alive connection: open a new one and try once more.
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        text = response.read().decode()
        for value in response.headers.get_all("Set-Cookie") or []:
            match = _COOKIE.match(value)
            if match and "Max-Age=0" not in value and "expires=Thu, 01 Jan 1970" not in value:
                self.cookies[match[1]] = match[2]
            elif match:
                self.cookies.pop(match[1], None)
        return response.status, text, dict(response.headers)

    def get(self, path: str) -> tuple[int, str]:
        """GET a page."""
        status, text, _ = self.request("GET", path)
        return status, text

    def post(self, path: str, form: dict | list) -> tuple[int, str]:
        """POST a form."""
        status, text, _ = self.request("POST", path, form)
        return status, text

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()


def csrf_token(page: str) -> str:
    """The CSRF token in a page's form."""
    match = _TOKEN.search(page)
    if match is None:
        raise RuntimeError("no csrf_token in the page")
    return match[1]
