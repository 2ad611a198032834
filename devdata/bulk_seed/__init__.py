"""A local authority's worth of made-up records, written fast: `flask seed-bulk` and bench/.

300 schools in trusts of ten, their staff, a million reports over ten years with the online
places they name, the register those places make, cases with people, checklists and
chronology, and several audit rows per report. Rows are generated school by school and
written with COPY (PostgreSQL) or executemany (SQLite), never one ORM object at a time.
Everything is invented; every email address ends in `.invalid`. Never run in production.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from sqlalchemy import Engine, select

from devdata.bulk_seed.plan import Context, Volumes
from devdata.bulk_seed.schools import plan_school, school_sizes, slug, write_school, write_trusts
from devdata.bulk_seed.sink import Sink
from schoolsafe.models import School
from schoolsafe.models.base import utcnow
from schoolsafe.services.jurisdictions.packs import Jurisdiction

__all__ = ["AlreadySeeded", "Volumes", "seed"]
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
