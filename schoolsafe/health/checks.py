"""The two probes: live (the process answers) and ready (it can serve a pupil's report)."""

from __future__ import annotations

from flask import Response, current_app

from schoolsafe.extensions import db
from schoolsafe.jobs.queue import redis_connection
from schoolsafe.services.operations.health import migration_heads, not_ready_reasons

from . import bp


def _plain(text: str, status: int) -> Response:
    return Response(text + "\n", status=status, mimetype="text/plain")


@bp.get("/live")
def live() -> Response:
    """The process answers; says nothing else."""
    return _plain("live", 200)


@bp.get("/ready")
def ready() -> Response:
    """200 when the database is reachable and migrated and Redis (if used) answers; else 503
    with the reasons, in plain words."""
    url = current_app.config.get("REDIS_URL")
    heads = migration_heads(current_app.extensions["migrate"].directory)
    reasons = not_ready_reasons(db.engine.connect, heads, redis_connection(url) if url else None)
    if reasons:
        return _plain("not ready: " + "; ".join(reasons), 503)
    return _plain("ready", 200)
