"""Rules for the records themselves: audit rows never change, and each record shows how long
it is kept.

The audit trail is append-only everywhere. On PostgreSQL a trigger (migration 0001) refuses
UPDATE and DELETE of audit rows, whoever is connected; this module adds the same refusal inside
the app on every database, so a mistake fails loudly in tests on SQLite too.
"""

from __future__ import annotations

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from schoolsafe.extensions import db
from schoolsafe.models import AuditEvent, Case, Report
from schoolsafe.services import retention


class AuditChangeError(RuntimeError):
    """Something tried to change or delete an audit row."""


def _refuse_flush(session: Session, flush_context: object, instances: object) -> None:
    for row in session.deleted:
        if isinstance(row, AuditEvent):
            raise AuditChangeError("audit rows can't be deleted")
    for row in session.dirty:
        if isinstance(row, AuditEvent) and session.is_modified(row):
            raise AuditChangeError("audit rows can't be changed")


def _refuse_bulk(state: ORMExecuteState) -> None:
    target = getattr(state.statement, "table", None)
    if (state.is_update or state.is_delete) and getattr(target, "name", None) == \
            AuditEvent.__tablename__:
        raise AuditChangeError("audit rows can't be changed or deleted")


def retention_label(record: Report | Case) -> str:
    """The retention class of a report or case, in a sentence for its page."""
    policy = retention.Policy.from_config(current_app.config)
    return retention.retention_class(db.session, record, policy).label


def init_app(app: Flask) -> None:
    """Guard the audit rows and offer retention_label() to templates."""
    if not event.contains(Session, "before_flush", _refuse_flush):
        event.listen(Session, "before_flush", _refuse_flush)
        event.listen(Session, "do_orm_execute", _refuse_bulk)
    app.add_template_global(retention_label)
