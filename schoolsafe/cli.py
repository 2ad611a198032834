"""Flask commands: create-school, create-user, seed-demo, worker, send-pending, escalate,
retention, db-roles, status, backup, restore-check, import-pupils."""

from __future__ import annotations

import secrets
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import Membership, School, User
from schoolsafe.security.passwords import WeakPasswordError, hash_password
from schoolsafe.services.audit import trail as audit
from schoolsafe.services.errors import FieldError
from schoolsafe.services.languages import set_school_languages
from schoolsafe.services.pupils import importing
from schoolsafe.vocab import AuditAction, AuditRecordType, Language, Role


def _password(prompt: str) -> str:
    # Scripts pipe the password in; people are prompted without echo.
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    return click.prompt(prompt, hide_input=True, confirmation_prompt=True)


def make_school(slug: str, name: str, code: str, jurisdiction: str,
                languages: Sequence[str] = ()) -> School:
    """Create a school after checking its jurisdiction pack exists; its pupil pages open in the
    first of `languages` (by default the pack's) and offer them all."""
    pack = current_app.extensions["jurisdictions"].get(jurisdiction)
    if pack is None:
        raise click.BadParameter(f"no jurisdiction pack named {jurisdiction!r}",
                                 param_hint="--jurisdiction")
    languages = tuple(languages) or pack.languages
    school = School(slug=slug, name=name, code=code.upper(), jurisdiction=jurisdiction)
    set_school_languages(db.session, school, languages[0], languages, pack.languages)
    db.session.add(school)
    db.session.commit()
    return school


def make_user(school: School, email: str, name: str, role: str, password: str) -> User:
    """Create a user (or reuse one with this email) and give them a role in the school."""
    user = db.session.scalar(select(User).where(User.email == email.lower()))
    if user is None:
        user = User(email=email.lower(), name=name, password_hash=hash_password(
            password, current_app.config["PASSWORD_HASHER"]))
        db.session.add(user)
        db.session.flush()
    if role not in user.roles_in(school.id):
        db.session.add(Membership(user_id=user.id, school_id=school.id, role=role))
    db.session.commit()
    return user


@click.command("create-school")
@click.option("--slug", required=True, help="Used in the report link /tell/<slug>.")
@click.option("--name", required=True)
@click.option("--code", required=True, help="Short code pupils can type on the home page.")
@click.option("--jurisdiction", default="england-wales", show_default=True)
@click.option("--language", "languages", multiple=True, type=click.Choice(Language.values()),
              help="A language pupils can use; repeat for more. The first is the one pupil pages "
                   "open in. Only languages the jurisdiction pack is written in. [default: the "
                   "pack's languages]")
def create_school(slug: str, name: str, code: str, jurisdiction: str,
                  languages: tuple[str, ...]) -> None:
    """Create a school."""
    try:
        school = make_school(slug, name, code, jurisdiction, languages)
    except FieldError as error:
        raise click.BadParameter(error.message, param_hint="--language") from error
    click.echo(f"Created {school.name}: report link /tell/{school.slug}, code {school.code}")


@click.command("create-user")
@click.option("--school", "slug", required=True, help="The school's slug.")
@click.option("--email", required=True)
@click.option("--name", default="", help="Defaults to the part of the email before the @.")
@click.option("--role", type=click.Choice(Role.values()), required=True)
def create_user(slug: str, email: str, name: str, role: str) -> None:
    """Create a staff user; the password is read from standard input or prompted for."""
    school = db.session.scalar(select(School).where(School.slug == slug))
    if school is None:
        raise click.BadParameter(f"no school with slug {slug!r}", param_hint="--school")
    try:
        user = make_user(school, email, name or email.split("@")[0], role,
                         _password("Password"))
    except WeakPasswordError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{user.email} is now {role} at {school.name}.")


@click.command("seed-demo")
def seed_demo() -> None:
    """Create (or reuse) the demo school and its demo DSL; print how to sign in."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("The demo school is never created in production.")
    school = db.session.scalar(select(School).where(School.slug == "demo"))
    if school is None:
        school = make_school("demo", "Demo Academy", "DEMO", "england-wales")
        school.fallback_email = "safeguarding@demo.school.invalid"
        db.session.commit()
    password = _kept_password(Path(current_app.instance_path), "demo-password", 12)
    make_user(school, "dsl@demo.school.invalid", "Demo Safeguarding Lead", Role.DSL, password)
    # The allegations contacts, so a report about a member of staff reaches someone. They are
    # not DSLs: they see only what is routed to them, never every pupil's reports.
    for email, name, role in (("head@demo.school.invalid", "Demo Head Teacher", Role.CASE_MANAGER),
                              ("chair@demo.school.invalid", "Demo Chair of Governors", Role.CHAIR)):
        make_user(school, email, name, role, password)
    base = current_app.config["BASE_URL"]
    click.echo(f"Pupil report link: {base}/tell/demo   (school code DEMO)")
    click.echo(f"Staff sign-in:     {base}/staff/sign-in")
    click.echo(f"  email    dsl@demo.school.invalid\n  password {password}")
    click.echo("  Reports about a member of staff go to head@demo.school.invalid (or, when they "
               "may be about the head, chair@demo.school.invalid), with the same password.")
    click.echo("  You will set up two-factor sign-in with an authenticator app the first time.")


def _kept_password(instance: Path, name: str, size: int) -> str:
    # Generated on first use and kept in the instance folder, never a fixed password.
    path = instance / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(size))
        path.chmod(0o600)
    return path.read_text().strip()


# The defaults are devdata.bulk_seed.Volumes' (a test keeps them equal): devdata is imported
# only when the command runs, so a production app never loads the generator.
@click.command("seed-bulk")
@click.option("--schools", default=300, show_default=True)
@click.option("--reports", default=1_000_000, show_default=True,
              help="Reports across all schools.")
@click.option("--years", default=10, show_default=True)
@click.option("--long-case", "long_case", default=200, show_default=True,
              help="Chronology entries of each school's newest case.")
@click.option("--seed", "seed_number", default=1, show_default=True,
              help="Random seed: the same seed gives the same shape of data.")
def seed_bulk(schools: int, reports: int, years: int, long_case: int, seed_number: int) -> None:
    """Fill an empty database with made-up records at local-authority scale (not production)."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("Generated records are never written in production.")
    from devdata.bulk_seed import AlreadySeeded, Volumes, seed

    volumes = Volumes(schools=schools, reports=reports, years=years,
                      long_case_entries=long_case, seed=seed_number)
    password = _kept_password(Path(current_app.instance_path), "bulk-password", 16)
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


@click.command("send-pending")
def send_pending() -> None:
    """Queue every unsent email again, and any report not yet taken in (cron, every minute)."""
    from schoolsafe.jobs.intake import take_in_waiting
    from schoolsafe.jobs.mail import send_pending as sweep

    waiting = take_in_waiting()
    if waiting:
        click.echo(f"{waiting} report(s) queued to be taken in")
    click.echo(f"{sweep()} email(s) queued")


@click.command("escalate")
def escalate() -> None:
    """Escalate urgent reports nobody has acknowledged in time, and send task reminders that
    are due (cron, every minute)."""
    from schoolsafe.jobs.escalate import escalate_due
    from schoolsafe.jobs.tasks import remind_due_tasks

    click.echo(f"{escalate_due()} report(s) escalated")
    click.echo(f"{remind_due_tasks()} task reminder(s) sent")


@click.command("retention")
@click.option("--dry-run", "mode", flag_value="dry-run", default=True,
              help="Show what is due, delete nothing (the default).")
@click.option("--delete", "mode", flag_value="delete",
              help="Delete what has passed its retention period, except under legal hold.")
def retention(mode: str) -> None:
    """Delete records past their retention period (cron, daily); prints counts and ids only."""
    from schoolsafe.models.base import utcnow
    from schoolsafe.services import retention as rules

    policy = rules.Policy.from_config(current_app.config)
    if mode == "delete":
        plan = rules.delete_due(db.session, utcnow(), policy)
        db.session.commit()
        click.echo(f"Deleted - {plan.summary()}")
    else:
        plan = rules.due_for_deletion(db.session, utcnow(), policy)
        click.echo(f"Dry run, nothing deleted. Due - {plan.summary()}")


@click.command("db-roles")
@click.option("--app-role", help="The role the app connects as  [default: DATABASE_URL's user]")
def db_roles(app_role: str | None) -> None:
    """Grant the app's database role only what it needs (as the owner, after db upgrade)."""
    from sqlalchemy import create_engine, make_url, pool

    from schoolsafe.services.audit import guard

    config = current_app.config
    role = app_role or make_url(config["SQLALCHEMY_DATABASE_URI"]).username
    if not role:
        raise click.BadParameter("name the app's role", param_hint="--app-role")
    # Run as the owner: MIGRATIONS_DATABASE_URL when set, as `flask db upgrade` does.
    engine = create_engine(config["MIGRATIONS_DATABASE_URI"] or config["SQLALCHEMY_DATABASE_URI"],
                           poolclass=pool.NullPool)
    try:
        with engine.begin() as connection:
            statements = guard.grant_app_role(connection, role)
    except guard.RoleSetupError as error:
        raise click.ClickException(str(error)) from error
    finally:
        engine.dispose()
    click.echo("\n".join(f"{statement};" for statement in statements))
    click.echo(f"{role} may now read and add audit rows, but not change, empty or drop them, "
               "and may create nothing.")


@click.command("status")
def status() -> None:
    """Print whether the queue, the worker, the scheduler and email are keeping up."""
    from schoolsafe.jobs.queue import redis_connection
    from schoolsafe.models.base import utcnow
    from schoolsafe.services.operations import status as ops

    report = ops.database_status(db.session, utcnow())
    url = current_app.config.get("REDIS_URL")
    if url:
        from redis.exceptions import RedisError

        try:
            ops.add_queue_status(report, redis_connection(url), current_app.config["RQ_QUEUE"])
        except RedisError as error:
            raise click.ClickException(f"Redis does not answer: {error}") from error
    click.echo("\n".join(ops.lines(report)))


def _owner_url() -> str:
    # Backups read everything and restore-check creates a database: the owner's work.
    config = current_app.config
    return config["MIGRATIONS_DATABASE_URI"] or config["SQLALCHEMY_DATABASE_URI"]


@click.command("backup")
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
def backup(destination: Path) -> None:
    """Back the database up to DESTINATION (pg_dump custom format, or a SQLite copy)."""
    from schoolsafe.services.operations.backup import BackupError
    from schoolsafe.services.operations.backup import backup as make_backup

    try:
        make_backup(_owner_url(), destination)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up to {destination} ({destination.stat().st_size:,} bytes). It holds "
               "pupils' reports: encrypt it before it leaves this machine.")


@click.command("restore-check")
@click.argument("backup_file", metavar="BACKUP",
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--app-role", help="Also compare this PostgreSQL role's grants.")
def restore_check(backup_file: Path, app_role: str | None) -> None:
    """Restore BACKUP into a scratch database and compare it with this one; fails if it differs."""
    from schoolsafe.services.operations.backup import BackupError
    from schoolsafe.services.operations.backup import restore_check as check
    from schoolsafe.services.operations.health import migration_heads

    heads = migration_heads(current_app.extensions["migrate"].directory)
    try:
        result = check(_owner_url(), backup_file, heads, app_role)
    except BackupError as error:
        raise click.ClickException(f"FAIL: {error}") from error
    if result.problems:
        click.echo("\n".join(f"  {problem}" for problem in result.problems))
        raise click.ClickException(f"FAIL: {backup_file} does not match the database "
                                   f"({len(result.problems)} difference(s) above)")
    click.echo(f"PASS: {backup_file} restores: {result.tables} tables, {result.rows:,} rows, "
               "the audit trail and its guard match the database, migrations at head.")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker(burst: bool) -> None:
    """Run an RQ worker with the app context (needs REDIS_URL)."""
    from schoolsafe.jobs.worker import run

    run(burst=burst)


@click.command("import-pupils")
@click.argument("slug")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--map", "mapping", multiple=True, metavar="FIELD=COLUMN",
              help="Which column holds a field (e.g. --map upn=\"Adno\"); otherwise as last "
                   "mapped, or guessed from the headings.")
def import_pupils(slug: str, csv_file: Path, mapping: tuple[str, ...]) -> None:
    """Import a school's pupil directory from its CSV export (for a nightly job)."""
    school = db.session.scalar(select(School).where(School.slug == slug))
    if school is None:
        raise click.ClickException(f"No school with the slug {slug!r}.")
    try:
        sheet = importing.read_csv(csv_file.read_bytes())
        saved = importing.remembered(db.session, school.id).columns
        chosen = importing.guess_mapping(sheet.headings, saved)
        chosen.update(dict(item.split("=", 1) for item in mapping if "=" in item))
        summary = importing.apply(db.session, school.id, sheet, chosen)
    except importing.ImportFileError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    audit.record(db.session, user_id=None, school_id=school.id,
                 action=AuditAction.PUPILS_IMPORTED, record_type=AuditRecordType.SCHOOL,
                 record_id=str(school.id))
    db.session.commit()
    click.echo(f"{summary.added} added, {summary.updated} updated, {summary.unchanged} "
               f"unchanged, {summary.left} marked as left, {summary.returned} back on roll, "
               f"{len(summary.rejected)} rows not imported.")
    for item in summary.rejected:
        click.echo(f"  row {item.row}: {item.reason}")


def init_app(app: Flask) -> None:
    """Register the commands."""
    for command in (create_school, create_user, seed_demo, send_pending, escalate,
                    retention, db_roles, status, backup, restore_check, worker, import_pupils):
        app.cli.add_command(command)
    app.cli.add_command(seed_bulk)
