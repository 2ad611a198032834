"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from sqlalchemy import text

from schoolsafe.extensions import db
from tests.conftest import make_app


def test_models_and_migrations_agree(database_url, tmp_path):
    app = make_app(database_url, tmp_path)
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert differences == []


def test_there_is_one_line_of_migrations(tmp_path):
    app = make_app("sqlite://", tmp_path)
    with app.app_context():
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        assert len(script.get_heads()) == 1, "migrations have diverged: add a merge revision"


def test_upgrade_builds_a_working_schema_from_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    app = make_app(url, tmp_path)
    with app.app_context():
        upgrade()
        tables = {row[0] for row in db.session.execute(
            text("SELECT name FROM sqlite_master WHERE type='table'"))}
        db.engine.dispose()
    assert {"report", "case_file", "audit_event", "online_account", "outbox_message"} <= tables
