"""The bulk generator, run small on both databases: what it writes is what the app would have
written, the schema is whole again afterwards, and the pages work on it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from devdata.bulk_seed import AlreadySeeded, Volumes, seed
from schoolsafe.cli import seed_bulk
from schoolsafe.extensions import db
from schoolsafe.models import Case, OnlineAccount, Report, School, Sighting, User
from schoolsafe.security.passwords import hash_password
from schoolsafe.services.cases import chronology
from tests.conftest import BACKENDS, make_app, migrated
from tests.factories import PASSWORD, Factory, sign_in

ROOT = Path(__file__).resolve().parent.parent
SMALL = Volumes(schools=3, reports=300, schools_per_trust=2, long_case_entries=40, seed=7)


@pytest.fixture(scope="module", params=BACKENDS)
def seeded(request, tmp_path_factory):
    """A fresh migrated database of each kind, filled once by the generator."""
    tmp_path = tmp_path_factory.mktemp("bulk")
    if request.param == "sqlite":
        url = migrated(f"sqlite:///{tmp_path / 'bulk.db'}")
    else:
        url = migrated(request.getfixturevalue("postgres").create_database("schoolsafe_bulk"))
    app = make_app(url, tmp_path, WTF_CSRF_ENABLED=False)
    with app.app_context():
        written = seed(db.engine, SMALL, app.extensions["jurisdictions"]["england-wales"],
                       hash_password(PASSWORD, "fast-test"))
        yield app, written
        db.session.rollback()
        db.engine.dispose()


def test_it_writes_the_volumes_asked_for(seeded):
    _, written = seeded
    assert written["school"] == 3 and written["report"] == 300
    assert db.session.scalar(select(func.count()).select_from(Report)) == 300
    # Several audit rows per report, and every school has staff with two-factor set up.
    assert written["audit_event"] >= 3 * 300
    assert db.session.scalar(select(func.count()).select_from(User)
                             .where(User.totp_secret.is_(None))) == 3 * 6


def test_register_counts_agree_with_the_sightings(seeded):
    counted = dict(db.session.execute(
        select(Sighting.account_id, func.count(func.distinct(Sighting.report_id)))
        .group_by(Sighting.account_id)).all())
    stored = dict(db.session.execute(select(OnlineAccount.id, OnlineAccount.report_count)).all())
    assert counted == stored


def test_each_school_has_a_case_with_the_long_chronology(seeded):
    for school in db.session.scalars(select(School)):
        newest = db.session.scalars(select(Case).where(Case.school_id == school.id)
                                    .order_by(Case.id.desc())).first()
        assert len(chronology.entries(db.session, newest)) == SMALL.long_case_entries
        assert school.case_counter == db.session.scalar(
            select(func.count()).select_from(Case).where(Case.school_id == school.id))


def test_indexes_and_keys_are_back_and_new_rows_get_fresh_ids(seeded):
    app, _ = seeded
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []
    school = db.session.scalar(select(School).where(School.slug == "bulk-001"))
    submitted = Factory(app).report(school, narrative="After the generated ones")
    assert submitted.report.id == 301


def test_a_dsl_of_a_generated_school_can_work_its_queue_and_register(seeded):
    app, _ = seeded
    client = app.test_client()
    dsl = db.session.scalar(select(User).where(User.email == "dsl1.bulk-001@bulk.school.invalid"))
    sign_in(client, dsl)
    case = db.session.scalars(select(Case).order_by(Case.id)).first()
    entry = db.session.scalars(select(OnlineAccount).order_by(OnlineAccount.id)).first()
    for path in ("/staff/triage/", "/staff/triage/?status=all", "/staff/register/",
                 f"/staff/triage/cases/{case.public_id}",
                 f"/staff/register/entries/{entry.public_id}"):
        assert client.get(path).status_code == 200, path


def test_it_refuses_a_database_it_has_already_filled(seeded):
    app, _ = seeded
    with pytest.raises(AlreadySeeded):
        seed(db.engine, SMALL, app.extensions["jurisdictions"]["england-wales"], "x")


def flask(*args: str, **env: str) -> subprocess.CompletedProcess:
    """A flask command as an operator runs it."""
    return subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "FLASK_APP": "wsgi.py", **env})


def test_the_command_prints_what_it_wrote_and_refuses_production(tmp_path):
    env = {"DATABASE_URL": migrated(f"sqlite:///{tmp_path / 'cli.db'}"),
           "SCHOOLSAFE_INSTANCE_PATH": str(tmp_path / "instance")}
    result = flask("seed-bulk", "--schools", "2", "--reports", "40", "--long-case", "10",
                   SCHOOLSAFE_ENV="development", **env)
    assert result.returncode == 0, result.stderr
    assert re.search(r"report\s+40\n", result.stdout)
    assert (tmp_path / "instance" / "bulk-password").exists()
    again = flask("seed-bulk", SCHOOLSAFE_ENV="development", **env)
    assert again.returncode != 0 and "already has generated schools" in again.stderr
    refused = flask("seed-bulk", SCHOOLSAFE_ENV="production", SECRET_KEY="k" * 40,
                    BASE_URL="https://report.example.org", **env)
    assert refused.returncode != 0 and "never written in production" in refused.stderr


def test_the_command_offers_the_generators_own_defaults():
    defaults = {param.name: param.default for param in seed_bulk.params}
    assert defaults == {"schools": Volumes.schools, "reports": Volumes.reports,
                        "years": Volumes.years, "long_case": Volumes.long_case_entries,
                        "seed_number": Volumes.seed}
