"""Time to link one new report's online places against a register of a million entries.

    .venv/bin/python bench/register_link.py                       # SQLite and PostgreSQL, 1M
    .venv/bin/python bench/register_link.py --backend sqlite --entries 100000 --reports 200

Loads the register (entries with their lookalike keys) in bulk - executemany on SQLite, COPY
on PostgreSQL (a private server from tests/support/postgres.py unless DATABASE_URL is set) -
then submits reports naming 1-3 places each: accounts already in the register in another
spelling, brand-new accounts, and lookalikes of known ones. For each report it times
`register.link_places` plus the flush that writes its rows (exact-key lookup, new entries,
blocking-key lookup and comparison, flags, history), and separately the commit. Prints p50
and p95 per backend against the 50 ms target.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import string
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SCHOOLSAFE_ENV", "testing")

from sqlalchemy import func, select, text  # noqa: E402

from schoolsafe.extensions import db  # noqa: E402
from schoolsafe.models import (  # noqa: E402
    LookalikeFlag,
    LookalikeKey,
    OnlineAccount,
    Report,
    School,
    Trust,
)
from schoolsafe.services.accounts.lookalike import blocking_keys  # noqa: E402
from schoolsafe.services.register.linking import Place, link_places  # noqa: E402

TARGET_MS = 50
BATCH = 20_000
PLATFORM_WEIGHTS = {"instagram": 35, "tiktok": 20, "snapchat": 20, "x": 8, "youtube": 5,
                    "facebook": 5, "telegram": 4, "discord": 3}
TOWNS = ("birmingham brum leeds bristol cardiff swansea aber wrexham leicester derby "
         "nottingham coventry wolves walsall dudley oldham bolton wigan stockport salford "
         "york hull sheffield bradford luton reading slough oxford bath exeter plymouth "
         "norwich ipswich croydon brixton peckham hackney ealing harrow enfield barnet").split()
NOUNS = ("slags girls lads exposed gossip confessions beef tea rate baddies secrets "
         "snitches leaks year9 year10 sixthform uncovered spill drama hoes").split()
SYLLABLES = ("ka lo mi ra ne to bu sha zi den mar kel jo li an em ty ro sa vi el "
             "ben tom ash lee kai amy sam jay").split()
ENTRY_COLUMNS = ("id", "public_id", "school_id", "platform", "canonical_key", "display",
                 "kind", "status", "report_count", "first_seen", "last_seen", "removed_at")
KEY_COLUMNS = ("school_id", "account_id", "key")


def handle(rng: random.Random) -> str:
    """A made-up account name: a person-like handle, a page-like name or random letters."""
    style = rng.random()
    if style < 0.45:
        name = "".join(rng.choices(SYLLABLES, k=rng.randint(2, 4)))
        sep = rng.choice(("", "_", ".", ""))
        digits = str(rng.randint(1, 9999)) if rng.random() < 0.6 else ""
        return f"{name}{sep}{digits}"
    if style < 0.8:
        town, noun = rng.choice(TOWNS), rng.choice(NOUNS)
        suffix = rng.choice(("", "_xx", f"_{rng.randint(1, 999)}", f".{rng.randint(2015, 2026)}"))
        pattern = rng.choice(("{n}_of_{t}", "{t}_{n}", "{t}.{n}", "{n}{t}"))
        return pattern.format(n=noun, t=town) + suffix
    return "".join(rng.choices(string.ascii_lowercase + string.digits, k=rng.randint(6, 15)))


def lookalike_of(name: str, rng: random.Random) -> str:
    """A near copy, the way a removed page comes back."""
    change = rng.choice(("digit", "zero", "underscore", "double"))
    if change == "digit":
        return f"{name}{rng.randint(1, 9)}"
    if change == "zero" and "o" in name:
        return name.replace("o", "0", 1)
    if change == "underscore":
        return f"{name}_"
    return f"{name}{name[-1]}"


def generate(entries: int, school_ids: list[int], seed: int) -> Iterator[tuple[tuple, list]]:
    """(entry row, key rows) for each register entry, unique per school and platform."""
    rng = random.Random(seed)
    platforms, weights = zip(*PLATFORM_WEIGHTS.items(), strict=True)
    seen: set[tuple[int, str]] = set()
    start = datetime(2023, 1, 1)
    for number in range(1, entries + 1):
        school_id = school_ids[number % len(school_ids)]
        while True:
            platform = rng.choices(platforms, weights)[0]
            key = f"{platform}:{handle(rng)}"
            if (school_id, key) not in seen:
                seen.add((school_id, key))
                break
        first = start + timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
        removed = first + timedelta(days=rng.randint(1, 30)) if rng.random() < 0.1 else None
        row = (number, f"bench{number:011d}", school_id, platform, key,
               "@" + key.partition(":")[2], rng.choice(("bait_out_page", "fake_profile", "other")),
               "removed" if removed else rng.choice(("active", "reported")),
               rng.randint(1, 5), first, removed or first, removed)
        yield row, [(school_id, number, k) for k in blocking_keys(platform, key)]


def load(entries: int, school_ids: list[int], seed: int) -> tuple[int, float]:
    """Bulk-load the register; returns (key rows written, seconds).

    The tables' secondary indexes are dropped first and built again at the end, which is
    much faster than keeping them up to date row by row; unique constraints stay on.
    """
    started = time.perf_counter()
    keys = 0
    indexes = [*OnlineAccount.__table__.indexes, *LookalikeKey.__table__.indexes]
    for index in indexes:
        index.drop(bind=db.engine)
    connection = db.engine.raw_connection()
    try:
        writer = _copy_writer if db.engine.dialect.name == "postgresql" else _sqlite_writer
        batch_rows: list[tuple] = []
        batch_keys: list[tuple] = []
        for row, key_rows in generate(entries, school_ids, seed):
            batch_rows.append(row)
            batch_keys.extend(key_rows)
            if len(batch_rows) == BATCH:
                keys += writer(connection, batch_rows, batch_keys)
                batch_rows, batch_keys = [], []
        keys += writer(connection, batch_rows, batch_keys)
    finally:
        connection.close()
    for index in indexes:
        index.create(bind=db.engine)
    connection = db.engine.raw_connection()
    try:
        _finish(connection)
    finally:
        connection.close()
    return keys, time.perf_counter() - started


def _sqlite_writer(connection, rows: list[tuple], keys: list[tuple]) -> int:
    entry_sql = (f"INSERT INTO online_account ({', '.join(ENTRY_COLUMNS)}, url) "
                 f"VALUES ({', '.join('?' * len(ENTRY_COLUMNS))}, NULL)")
    cursor = connection.cursor()
    cursor.executemany(entry_sql, [_sqlite_row(r) for r in rows])
    cursor.executemany("INSERT INTO lookalike_key (school_id, account_id, key) VALUES (?, ?, ?)",
                       keys)
    connection.commit()
    return len(keys)


def _sqlite_row(row: tuple) -> tuple:
    """Datetimes as SQLAlchemy stores them in SQLite."""
    return tuple(v.isoformat(sep=" ") if isinstance(v, datetime) else v for v in row)


def _copy_writer(connection, rows: list[tuple], keys: list[tuple]) -> int:
    cursor = connection.driver_connection.cursor()
    with cursor.copy(f"COPY online_account ({', '.join(ENTRY_COLUMNS)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    with cursor.copy(f"COPY lookalike_key ({', '.join(KEY_COLUMNS)}) FROM STDIN") as copy:
        for row in keys:
            copy.write_row(row)
    connection.commit()
    return len(keys)


def _finish(connection) -> None:
    """Move id sequences past the loaded rows and refresh the planner's statistics."""
    cursor = connection.cursor()
    if db.engine.dialect.name == "postgresql":
        for table in ("online_account", "lookalike_key"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"(SELECT max(id) FROM {table}))")
    cursor.execute("ANALYZE")
    connection.commit()


def known_names(school_id: int, sample: int) -> list[tuple[str, str]]:
    """(platform, name) of some entries of the school, to name again or imitate."""
    rows = db.session.execute(text(
        "SELECT platform, canonical_key FROM online_account WHERE school_id = :school "
        "ORDER BY id LIMIT :sample"), {"school": school_id, "sample": sample}).all()
    return [(platform, key.partition(":")[2]) for platform, key in rows]


def places_for(rng: random.Random, known: list[tuple[str, str]]) -> list[Place]:
    """One report's places: known accounts respelled, new ones, and lookalikes."""
    places = []
    for _ in range(rng.choices((1, 2, 3), (50, 35, 15))[0]):
        platform, name = rng.choice(known)
        pick = rng.random()
        if pick < 0.4:
            text_typed = rng.choice((f"@{name.upper()}", f"https://www.{platform}.com/{name}/",
                                     f"{name} ({platform})"))
        elif pick < 0.75:
            platform, text_typed = rng.choice(list(PLATFORM_WEIGHTS)), f"@{handle(rng)}"
        else:
            text_typed = "@" + lookalike_of(name, rng)
        places.append(Place(platform if pick >= 0.4 else "", text_typed))
    return places


def measure(school_id: int, reports: int, seed: int) -> dict[str, list[float]]:
    """Seconds per measured report: link (wall clock), link (this process's CPU), commit."""
    rng = random.Random(seed + 1)
    known = known_names(school_id, 20_000)
    times: dict[str, list[float]] = {"link": [], "cpu": [], "commit": [], "places": []}
    for number in range(reports + 20):  # the first 20 warm caches and are not counted
        report = Report(school_id=school_id, about="friend", choices=["bait_out_page"])
        db.session.add(report)
        db.session.flush()
        places = places_for(rng, known)
        started, cpu = time.perf_counter(), time.process_time()
        link_places(db.session, school_id, places, report_id=report.id)
        db.session.flush()
        linked, cpu_used = time.perf_counter(), time.process_time() - cpu
        db.session.commit()
        committed = time.perf_counter()
        if number >= 20:
            times["link"].append(linked - started)
            times["cpu"].append(cpu_used)
            times["commit"].append(committed - linked)
            times["places"].append(len(places))
    return times


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def ms(values: list[float]) -> str:
    return (f"p50 {statistics.median(values) * 1000:6.1f} ms   "
            f"p95 {percentile(values, 0.95) * 1000:6.1f} ms   "
            f"max {max(values) * 1000:6.1f} ms")


def schools(count: int) -> list[int]:
    """A trust of schools to spread the register over."""
    trust = Trust(name="Bench trust", contact_email="trust@bench.example")
    db.session.add(trust)
    db.session.flush()
    made = [School(slug=f"bench-{n}", name=f"Bench school {n}", code=f"BEN{n}",
                   trust_id=trust.id) for n in range(count)]
    db.session.add_all(made)
    db.session.commit()
    return [school.id for school in made]


def run(url: str, args: argparse.Namespace, work: Path) -> None:
    """Migrate, load and measure one database."""
    from flask_migrate import upgrade

    from schoolsafe import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(work / "instance"),
                      "OUTBOX_DIR": str(work / "outbox")})
    with app.app_context():
        upgrade(revision="heads")
        ids = schools(args.schools)
        keys, seconds = load(args.entries, ids, args.seed)
        print(f"  loaded {args.entries:,} entries and {keys:,} lookalike keys over "
              f"{args.schools} schools in {seconds:.0f} s "
              f"({args.entries / seconds:,.0f} entries/s)")
        flags_before = db.session.scalar(select(func.count()).select_from(LookalikeFlag))
        times = measure(ids[0], args.reports, args.seed)
        flags = db.session.scalar(select(func.count()).select_from(LookalikeFlag)) - flags_before
        print(f"  measured school holds {args.entries // args.schools:,} entries; "
              f"{args.reports} reports, {sum(times['places']):.0f} places, "
              f"{flags} lookalike flags raised; load average {os.getloadavg()[0]:.1f}")
        print(f"  link one report's places (lookalike check included): {ms(times['link'])}")
        print(f"    of which this process's CPU time:                  {ms(times['cpu'])}")
        print(f"  commit of that report's transaction:                 {ms(times['commit'])}")
        verdict = "met" if percentile(times["link"], 0.95) * 1000 < TARGET_MS else "NOT met"
        print(f"  target p95 < {TARGET_MS} ms: {verdict}")
        db.session.remove()
        db.engine.dispose()


def postgres_url(work: Path):
    """DATABASE_URL, or a private server started for this run (stopped and deleted at exit)."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
    from tests.support.postgres import PostgresServer

    server = PostgresServer(work / "postgres")
    server.start()
    return server.create_database("register_bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--schools", type=int, default=300)
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    with tempfile.TemporaryDirectory(prefix="register-bench-", dir="/var/tmp") as folder:
        work = Path(folder)
        for backend in backends:
            print(f"{backend}:")
            url = (f"sqlite:///{work / 'register.db'}" if backend == "sqlite"
                   else postgres_url(work))
            run(url, args, work)


if __name__ == "__main__":
    main()
