"""Build the benchmark database: migrate an empty one, then `flask seed-bulk`'s generator.

    .venv/bin/python bench/generate.py --backend postgresql            # 300 schools, 1M reports
    .venv/bin/python bench/generate.py --backend sqlite --reports 20000 --schools 10

Prints the rows written per table, the time taken and the database's size on disk.
"""

from __future__ import annotations

import argparse
import time

from common import (
    BENCH_DB,
    add_backend_argument,
    create_database,
    database_url,
    machine,
    make_app,
)
from sqlalchemy import text
from sqlalchemy.exc import OperationalError, ProgrammingError


def database_size(engine) -> str:
    """Size on disk of the database (with its indexes)."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            return connection.scalar(text("SELECT pg_size_pretty(pg_database_size("
                                          "current_database()))"))
        pages = connection.scalar(text("PRAGMA page_count"))
        size = connection.scalar(text("PRAGMA page_size"))
    return f"{pages * size / 2**20:,.0f} MB"


def build(backend: str, volumes, name: str = BENCH_DB) -> None:
    """Create a fresh benchmark database, migrate it and fill it; print what was written."""
    from flask_migrate import upgrade

    from devdata.bulk_seed import seed
    from schoolsafe.extensions import db
    from schoolsafe.security.passwords import hash_password

    app = make_app(create_database(backend, name))
    with app.app_context():
        upgrade(revision="heads")
        started = time.monotonic()
        written = seed(db.engine, volumes, app.extensions["jurisdictions"]["england-wales"],
                       hash_password(bench_password(), "argon2id"),
                       progress=lambda line: print(f"  {line}", flush=True))
        elapsed = time.monotonic() - started
        for table, count in sorted(written.items()):
            print(f"  {table:<16} {count:>12,}")
        total = sum(written.values())
        print(f"{backend}: {total:,} rows in {elapsed:,.0f} s "
              f"({total / elapsed:,.0f} rows/s), database {database_size(db.engine)}")
        db.engine.dispose()


def ensure(backend: str) -> None:
    """Build the full-size database unless an earlier run left one (it takes a while)."""
    from flask_migrate import upgrade

    from devdata.bulk_seed import Volumes
    from schoolsafe.extensions import db

    app = make_app(database_url(backend))
    with app.app_context():
        try:
            with db.engine.connect() as connection:
                found = connection.scalar(text("SELECT count(*) FROM school "
                                               "WHERE slug = 'bulk-001'"))
        except (OperationalError, ProgrammingError):
            found = 0
        if found:
            upgrade(revision="heads")  # indexes added since it was generated
        db.engine.dispose()
    if not found:
        print(f"No generated {backend} database yet: generating one first (bench/generate.py).")
        build(backend, Volumes())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_backend_argument(parser)
    parser.add_argument("--schools", type=int, default=300)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--long-case", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    from devdata.bulk_seed import Volumes

    print(f"machine: {machine()}")
    build(args.backend, Volumes(schools=args.schools, reports=args.reports, years=args.years,
                                long_case_entries=args.long_case, seed=args.seed))


def bench_password() -> str:
    """The password every generated user has here (the benchmarks sign in with it)."""
    return "bench-password-not-secret"  # noqa: S105 - throw-away benchmark data only


if __name__ == "__main__":
    main()
