"""flask insight demo-data: a year of made-up reports for the demo school, to try insight on."""

from __future__ import annotations

import click
from flask import current_app
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import Membership, School
from schoolsafe.models.base import utcnow
from schoolsafe.vocab import Role

from . import bp


@bp.cli.command("demo-data")
@click.option("--school", "slug", default="demo", show_default=True,
              help="The slug of the school to fill (made by flask seed-demo).")
def demo_data(slug: str) -> None:
    """Add a year of made-up reports, cases and register work to the demo school."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("Demo data is never added in production.")
    from devdata.insight_year import DemoError, add_demo_year

    school = db.session.scalar(select(School).where(School.slug == slug))
    if school is None:
        raise click.ClickException(f"There is no school {slug!r}. Run flask seed-demo first.")
    dsl_id = db.session.scalar(select(Membership.user_id).where(
        Membership.school_id == school.id, Membership.role == Role.DSL).order_by(Membership.id))
    if dsl_id is None:
        raise click.ClickException(f"{school.name} has no safeguarding lead to open cases.")
    try:
        added = add_demo_year(db.session, school, dsl_id, current_app.config["SECRET_KEY"],
                              utcnow())
    except DemoError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Added {added} made-up reports to {school.name}, over the last year. "
               "Sign in as its safeguarding lead and open Insight to see them.")
