"""`flask seed-bulk`: a local authority's worth of made-up records, written fast, for benchmarks.

300 schools in trusts of ten, their staff, a million reports over ten years with the online
places they name, the register those places make, cases with people, checklists and
chronology, and several audit rows per report. Rows are generated school by school and
written with COPY (PostgreSQL) or executemany (SQLite), never one ORM object at a time.
Everything is invented; every email address ends in `.invalid`. Never run in production.
"""

from __future__ import annotations

import random
import secrets
import time
from collections.abc import Callable
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import Engine, select

from schoolsafe.bulk_seed.plan import Context, Volumes
from schoolsafe.bulk_seed.schools import plan_school, school_sizes, slug, write_school, write_trusts
from schoolsafe.bulk_seed.sink import Sink
from schoolsafe.extensions import db
from schoolsafe.models import School
from schoolsafe.models.base import utcnow
from schoolsafe.security.passwords import hash_password
from schoolsafe.services.jurisdictions.packs import Jurisdiction

__all__ = ["Volumes", "seed", "seed_bulk"]
# Rows held in memory before they are written; a school is never split across two writes.
FLUSH_ROWS = 200_000


class AlreadySeeded(Exception):
    """The database already holds generated schools."""


def seed(engine: Engine, volumes: Volumes, pack: Jurisdiction, password_hash: str,
         progress: Callable[[str], None] = lambda line: None) -> dict[str, int]:
    """Generate and write everything; return the number of rows written per table."""
    with engine.connect() as connection:
        if connection.scalar(select(School.id).where(School.slug == slug(1))) is not None:
            raise AlreadySeeded("this database already has generated schools; use a fresh one")
    # A seeded generator so the same flags give the same shape of data; ids and codes that
    # must be unguessable still come from `secrets`.
    rng = random.Random(volumes.seed)  # noqa: S311
    ctx = Context(sink=Sink(engine), rng=rng, now=utcnow(), pack=pack,
                  password_hash=password_hash, volumes=volumes)
    started = time.monotonic()
    ctx.sink.set_indexes_aside()
    trusts = write_trusts(ctx)
    area_pages: dict[int, list[tuple[str, str]]] = {t: [] for t in trusts}
    for number, size in enumerate(school_sizes(ctx), start=1):
        trust = trusts[(number - 1) // volumes.schools_per_trust]
        write_school(ctx, plan_school(ctx, number, trust, size), area_pages[trust])
        if ctx.sink.buffered >= FLUSH_ROWS or number == volumes.schools:
            ctx.sink.flush()
            progress(f"{number}/{volumes.schools} schools, "
                     f"{sum(ctx.sink.written.values()):,} rows, "
                     f"{time.monotonic() - started:.0f} s")
    ctx.sink.finish()
    return dict(ctx.sink.written)


@click.command("seed-bulk")
@click.option("--schools", default=Volumes.schools, show_default=True)
@click.option("--reports", default=Volumes.reports, show_default=True,
              help="Reports across all schools.")
@click.option("--years", default=Volumes.years, show_default=True)
@click.option("--long-case", "long_case", default=Volumes.long_case_entries, show_default=True,
              help="Chronology entries of each school's newest case.")
@click.option("--seed", "seed_number", default=Volumes.seed, show_default=True,
              help="Random seed: the same seed gives the same shape of data.")
def seed_bulk(schools: int, reports: int, years: int, long_case: int, seed_number: int) -> None:
    """Fill an empty database with made-up records at local-authority scale (not production)."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("Generated records are never written in production.")
    volumes = Volumes(schools=schools, reports=reports, years=years,
                      long_case_entries=long_case, seed=seed_number)
    password = _bulk_password(Path(current_app.instance_path))
    pack = current_app.extensions["jurisdictions"]["england-wales"]
    started = time.monotonic()
    try:
        written = seed(db.engine, volumes, pack,
                       hash_password(password, current_app.config["PASSWORD_HASHER"]),
                       progress=click.echo)
    except AlreadySeeded as error:
        raise click.ClickException(str(error)) from error
    elapsed = time.monotonic() - started
    total = sum(written.values())
    for table, count in sorted(written.items()):
        click.echo(f"  {table:<16} {count:>12,}")
    click.echo(f"{total:,} rows in {elapsed:.0f} s ({total / max(elapsed, 0.001):,.0f} rows/s)")
    click.echo(f"Every generated user's password is in {Path(current_app.instance_path)}"
               "/bulk-password (e.g. dsl1.bulk-001@bulk.school.invalid).")


def _bulk_password(instance: Path) -> str:
    # Generated on first use and kept in the instance folder, never a fixed password.
    path = instance / "bulk-password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(16))
        path.chmod(0o600)
    return path.read_text().strip()
