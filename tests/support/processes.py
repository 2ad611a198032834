"""Shared plumbing for the private test services: ports, binaries, child processes, cleanup."""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

LOOPBACK = "127.0.0.1"

# Everything started here is stopped when the interpreter exits, even if a test forgot to,
# so no server outlives the test session.
_cleanups: dict[int, Callable[[], None]] = {}


def free_port() -> int:
    """Return a TCP port on the loopback address that nothing is listening on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def find_binary(*candidates: str | Path) -> str | None:
    """Return the first candidate that is an executable path or a command on PATH."""
    for candidate in candidates:
        path = Path(candidate)
        if path.is_absolute() and os.access(path, os.X_OK) and path.is_file():
            return str(path)
        if not path.is_absolute() and (found := shutil.which(str(candidate))):
            return found
    return None


def under_ci() -> bool:
    """Tell whether we run in CI, where a missing service must fail instead of skipping."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def require(name: str, available: bool, why: str) -> None:
    """Fail under CI, or skip the test elsewhere, when a needed service is not available."""
    if available:
        return
    if under_ci():
        raise RuntimeError(f"{name} is required under CI: {why}")
    import pytest  # only imported here so that this module works outside pytest too

    pytest.skip(f"{name} is not available: {why}")


def register_cleanup(owner: object, cleanup: Callable[[], None]) -> None:
    """Run cleanup at interpreter exit unless forget_cleanup is called first."""
    _cleanups[id(owner)] = cleanup


def forget_cleanup(owner: object) -> None:
    """Drop a cleanup registered by register_cleanup (the owner stopped cleanly)."""
    _cleanups.pop(id(owner), None)


@atexit.register
def _run_cleanups() -> None:
    for cleanup in list(_cleanups.values()):
        try:
            cleanup()
        except Exception:  # noqa: S110 - exiting anyway; try the remaining ones
            pass
    _cleanups.clear()


def log_tail(path: Path, lines: int = 30) -> str:
    """Return the last lines of a log file, for error messages."""
    try:
        text = path.read_text(errors="replace")
    except FileNotFoundError:
        return "(no log written)"
    return "\n".join(text.splitlines()[-lines:]) or "(log is empty)"


def wait_until(check: Callable[[], bool], timeout: float, interval: float = 0.1) -> bool:
    """Call check until it returns True or the timeout passes; return its last answer."""
    deadline = time.monotonic() + timeout
    while True:
        if check():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


def port_is_free(port: int) -> bool:
    """Tell whether a server could bind the port now (with SO_REUSEADDR, as servers do)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((LOOPBACK, port))
        except OSError:
            return False
        return True


class ChildProcess:
    """A server process in its own process group, with its output going to a log file."""

    def __init__(self, name: str, log_path: Path, stop_signal: int = signal.SIGTERM) -> None:
        self.name = name
        self.log_path = log_path
        self.stop_signal = stop_signal
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def running(self) -> bool:
        """Tell whether the process has been started and has not exited."""
        return self.process is not None and self.process.poll() is None

    def start(self, command: Sequence[str], **popen: Any) -> None:
        """Start the command in a new session, appending its output to the log."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            # A new session gives the server its own process group, which stop() kills whole.
            self.process = subprocess.Popen(  # noqa: S603 - fixed argument lists, no shell
                list(command), stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True, **popen,
            )
        # A clean stop at exit: a killed PostgreSQL leaves its helper processes behind.
        register_cleanup(self, self.stop)

    def stop(self, timeout: float = 15) -> None:
        """Ask the process to exit with its stop signal, and kill its group if it does not."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(self.stop_signal)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        self.kill()

    def kill(self) -> None:
        """Kill the process group outright (also reaps helpers the server left behind)."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass  # the group is already gone
        self.process.wait()
        self.process = None
        forget_cleanup(self)

    def failure(self, message: str) -> RuntimeError:
        """Build an error that carries the tail of this process's log."""
        return RuntimeError(f"{self.name}: {message}\n--- {self.log_path} ---\n"
                            f"{log_tail(self.log_path)}")
