"""Is this app server ready for traffic? The database answers and is at the migrations' head,
and Redis answers when it is used.

The answers name only what is wrong with the deployment, never a school or a report, because a
load balancer's probe comes from anyone who can reach the server.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import Connection, text
from sqlalchemy.exc import SQLAlchemyError


@cache
def migration_heads(directory: str) -> frozenset[str]:
    """The newest revisions in the migrations folder (read once per process)."""
    config = Config()
    config.set_main_option("script_location", str(Path(directory)))
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def database_revisions(connection: Connection) -> frozenset[str]:
    """The revisions the database says it is at (none before the first migration)."""
    rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
    return frozenset(rows)


def schema_problem(connection: Connection, heads: frozenset[str]) -> str:
    """Why the database is not at the migrations' head, or '' when it is."""
    try:
        found = database_revisions(connection)
    except SQLAlchemyError:
        return "the database has no migrations applied: run flask db upgrade"
    if found == heads:
        return ""
    return (f"the database is at {', '.join(sorted(found)) or 'no revision'}, the code expects "
            f"{', '.join(sorted(heads))}: run flask db upgrade")


def not_ready_reasons(engine_connect, heads: frozenset[str], redis: Redis | None) -> list[str]:
    """Everything that keeps this server from serving; empty when it is ready."""
    reasons = []
    try:
        with engine_connect() as connection:
            reason = schema_problem(connection, heads)
    except SQLAlchemyError:
        reason = "the database does not answer"
    if reason:
        reasons.append(reason)
    if redis is not None:
        try:
            redis.ping()
        except RedisError:
            reasons.append("Redis does not answer")
    return reasons
