"""`flask retention`: a dry run by default, --delete to delete; counts and ids only."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import Case, Report
from schoolsafe.models.base import utcnow

SECRET = "Alex Smith was sent a picture"


def old_closed_report(make, school) -> Report:
    report = make.report(school, narrative=SECRET).report
    report.status = "closed"
    report.received_at = utcnow() - timedelta(days=400)
    db.session.commit()
    return report


def run(app, *args: str):
    result = app.test_cli_runner().invoke(args=["retention", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_default_is_a_dry_run_that_names_ids_and_deletes_nothing(app, make):
    report = old_closed_report(make, make.school())
    output = run(app)
    assert output.startswith("Dry run, nothing deleted.")
    assert f"reports without a case: 1 ({report.public_id})" in output
    assert SECRET not in output
    assert db.session.scalar(select(Report.id)) == report.id


def test_delete_removes_what_is_due_and_keeps_what_is_held(app, make, caplog):
    school = make.school()
    report = old_closed_report(make, school)
    fresh = make.report(school).report
    held = Case(school_id=school.id, reference="C-1", status="closed", legal_hold=True,
                closed_at=utcnow() - timedelta(days=4000))
    db.session.add(held)
    db.session.commit()
    gone, held_id = report.public_id, held.public_id
    with caplog.at_level(logging.INFO, logger="schoolsafe.services.retention"):
        output = run(app, "--delete")
    assert output.startswith("Deleted - ")
    assert f"reports without a case: 1 ({gone})" in output
    assert f"kept for legal hold: 1 ({held_id})" in output
    assert db.session.scalars(select(Report.public_id)).all() == [fresh.public_id]
    assert db.session.scalars(select(Case.public_id)).all() == [held_id]
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert gone in logged and SECRET not in logged and "Alex" not in logged


def test_the_periods_come_from_the_settings(app, make):
    report = old_closed_report(make, make.school())
    app.config["RETENTION_ANONYMOUS_DAYS"] = 500
    assert "reports without a case: 0 (none)" in run(app)
    app.config["RETENTION_ANONYMOUS_DAYS"] = 300
    assert report.public_id in run(app)
