"""Backups, and the drill that proves one restores: `flask backup`, `flask restore-check`.

PostgreSQL: pg_dump's custom format, restored with pg_restore into a new temporary database on
the same server, which is dropped afterwards. SQLite: the online backup API (a consistent copy
while the app writes), checked as a temporary copy. Either way the restored copy is compared
with the source (schoolsafe.services.operations.compare).
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump and pg_restore are the tools for the job
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo
from sqlalchemy import URL, create_engine, make_url, pool

from schoolsafe.services.operations.compare import Snapshot, differences, snapshot

PG_BINARIES = Path("/usr/lib/postgresql")


class BackupError(Exception):
    """The backup or the restore could not be made; says why."""


@dataclass(frozen=True)
class CheckResult:
    """A restore-check's findings: empty `problems` means it passed."""

    problems: list[str]
    tables: int
    rows: int


def pg_tool(name: str) -> str:
    """pg_dump or pg_restore: on the PATH, else the newest in Debian's /usr/lib/postgresql."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(PG_BINARIES.glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    if not versions:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return str(versions[-1])


def _libpq(url: URL) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for the PostgreSQL tools, with the password kept off the command
    line (where `ps` shows it) in PGPASSWORD."""
    args = ["--host", url.host or "localhost", "--port", str(url.port or 5432)]
    if url.username:
        args += ["--username", url.username]
    env = {**os.environ, "PGPASSWORD": url.password or ""} if url.password else dict(os.environ)
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-500:]}")


def backup(database_url: str, destination: Path) -> Path:
    """Write a backup of the database to `destination` (created readable by its owner only)."""
    url = make_url(database_url)
    destination.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(f"file:{url.database}?mode=ro", uri=True)
        target = sqlite3.connect(destination)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        args, env = _libpq(url)
        _run([pg_tool("pg_dump"), "--format=custom", "--file", str(destination), *args,
              "--dbname", url.database or ""], env)
    destination.chmod(0o600)
    return destination


def restore_check(database_url: str, backup_path: Path, heads: frozenset[str],
                  app_role: str | None = None) -> CheckResult:
    """Restore the backup into a scratch database and compare it with the source."""
    if not backup_path.is_file():
        raise BackupError(f"there is no file {backup_path}")
    source = _snapshot(database_url, app_role)
    with _restored(database_url, backup_path) as scratch_url:
        restored = _snapshot(scratch_url, app_role)
    return CheckResult(differences(source, restored, heads), len(restored.counts),
                       sum(restored.counts.values()))


def _snapshot(url: str, app_role: str | None) -> Snapshot:
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            return snapshot(connection, app_role)
    finally:
        engine.dispose()


@contextmanager
def _restored(database_url: str, backup_path: Path) -> Iterator[str]:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        with tempfile.TemporaryDirectory(prefix="schoolsafe-restore-") as folder:
            copy = Path(folder) / "restored.db"
            _sqlite_restore(backup_path, copy)
            yield f"sqlite:///{copy}"
        return
    scratch = f"{url.database}_restore_check_{secrets.token_hex(4)}"
    with psycopg.connect(_conninfo(url), autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
    try:
        args, env = _libpq(url)
        # --no-owner: the restoring role owns what it restores; the grants are restored as made.
        _run([pg_tool("pg_restore"), "--no-owner", "--exit-on-error", *args,
              "--dbname", scratch, str(backup_path)], env)
        yield url.set(database=scratch).render_as_string(hide_password=False)
    finally:
        _drop_scratch(url, scratch)


def _drop_scratch(url: URL, scratch: str, tries: int = 10) -> None:
    """Drop the scratch copy. An autovacuum worker analysing the freshly restored tables
    makes `WITH (FORCE)` refuse ("must be a member of the role whose process is being
    terminated") for a non-superuser owner; it is cancelled or done a moment later, so try
    again rather than let the refusal hide the check's own result."""
    for attempt in range(tries):
        try:
            with psycopg.connect(_conninfo(url), autocommit=True) as connection:
                connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(scratch)))
            return
        except psycopg.errors.InsufficientPrivilege:
            if attempt == tries - 1:
                raise
            time.sleep(0.5)


def _sqlite_restore(backup_path: Path, copy: Path) -> None:
    try:
        source = sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True)
        target = sqlite3.connect(copy)
        try:
            source.backup(target)
            if target.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{backup_path} is damaged")
        finally:
            target.close()
            source.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{backup_path} is not a readable SQLite backup: {error}") from error


def _conninfo(url: URL) -> str:
    parts = {"host": url.host or "localhost", "port": url.port or 5432, "dbname": url.database,
             "user": url.username, "password": url.password, "connect_timeout": 5}
    return make_conninfo(**{k: v for k, v in parts.items() if v is not None})
