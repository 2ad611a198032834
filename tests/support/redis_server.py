"""A private Redis server for tests, on a free loopback port, with nothing written to disk."""

from __future__ import annotations

from pathlib import Path

from tests.support.processes import (
    LOOPBACK,
    ChildProcess,
    find_binary,
    free_port,
    port_is_free,
    wait_until,
)

START_TIMEOUT = 15.0


def redis_binary() -> str | None:
    """Return the redis-server executable, if installed."""
    return find_binary("redis-server", "/usr/bin/redis-server")


class RedisServer:
    """redis-server without persistence, restartable on the same port."""

    def __init__(self, base_dir: Path, port: int | None = None) -> None:
        self.base_dir = Path(base_dir)
        self.port = port or free_port()
        self.url = f"redis://{LOOPBACK}:{self.port}/0"
        self.log_path = self.base_dir / "redis.log"
        self._process = ChildProcess("Redis", self.log_path)

    @staticmethod
    def available() -> bool:
        """Tell whether redis-server is installed."""
        return redis_binary() is not None

    @property
    def running(self) -> bool:
        """Tell whether the server process is alive."""
        return self._process.running

    def start(self) -> None:
        """Start the server and wait until it answers PING."""
        if self.running:
            return
        binary = redis_binary()
        if binary is None:
            raise RuntimeError("redis-server is not installed (scripts/install-system-deps.sh)")
        if not wait_until(lambda: port_is_free(self.port), timeout=10):
            raise self._process.failure(f"port {self.port} is still taken")
        self.base_dir.mkdir(parents=True, exist_ok=True)
        self._process.start(self._command(binary), cwd=self.base_dir)
        self._wait_for_ping()

    def stop(self) -> None:
        """Stop the server; every key is lost, as after a real crash without persistence."""
        self._process.stop()

    def restart(self) -> None:
        """Stop and start again on the same port."""
        self.stop()
        self.start()

    def _command(self, binary: str) -> list[str]:
        # No RDB snapshots or AOF: test data is throw-away and disk writes only slow us down.
        return [
            binary, "--port", str(self.port), "--bind", LOOPBACK, "--save", "",
            "--appendonly", "no", "--dir", str(self.base_dir), "--daemonize", "no",
            "--logfile", "",
        ]

    def _wait_for_ping(self) -> None:
        import redis

        def answers() -> bool:
            if not self._process.running:
                raise self._process.failure("exited during start-up")
            client = redis.Redis.from_url(self.url, socket_timeout=1)
            try:
                return bool(client.ping())
            except redis.ConnectionError:
                return False
            finally:
                client.close()

        if not wait_until(answers, timeout=START_TIMEOUT):
            self._process.kill()
            raise self._process.failure(f"not answering PING after {START_TIMEOUT}s")
