"""What a restore-check compares between the source database and a restored backup.

Row counts per table, the audit trail's newest entries, the revision the schema is at and, on
PostgreSQL, the audit guard: its triggers (present and enabled) and what the app's role may do
to each table.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, inspect, select, text
from sqlalchemy import table as table_named

from schoolsafe.models import AuditEvent
from schoolsafe.services.audit.guard import AUDIT_TABLE, quote
from schoolsafe.services.operations.health import database_revisions

AUDIT_TAIL = 20  # newest audit rows compared one by one
PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")
# pg_trigger.tgenabled: 'O' fires (origin), 'D' disabled; 'R' and 'A' are replication modes.
ENABLED = "O"


@dataclass(frozen=True)
class Snapshot:
    """What one database holds, for comparison."""

    revisions: frozenset[str]
    counts: dict[str, int]
    audit_tail: tuple[tuple[str, ...], ...]
    triggers: dict[str, str]  # name -> tgenabled (PostgreSQL only)
    grants: dict[str, tuple[str, ...]]  # table -> the app role's privileges (when named)


def snapshot(connection: Connection, app_role: str | None = None) -> Snapshot:
    """Read what a restore must bring back."""
    tables = sorted(inspect(connection).get_table_names())
    counts = {name: connection.execute(select(func.count()).select_from(table_named(name)))
              .scalar_one() for name in tables}
    tail = connection.execute(
        select(AuditEvent.id, AuditEvent.at, AuditEvent.action, AuditEvent.record_type,
               AuditEvent.record_id).order_by(AuditEvent.id.desc()).limit(AUDIT_TAIL)).all()
    postgres = connection.dialect.name == "postgresql"
    return Snapshot(
        revisions=database_revisions(connection),
        counts=counts,
        audit_tail=tuple(tuple(str(value) for value in row) for row in tail),
        triggers=_triggers(connection) if postgres else {},
        grants=_grants(connection, tables, app_role) if postgres and app_role else {},
    )


def _triggers(connection: Connection) -> dict[str, str]:
    rows = connection.execute(text(
        "SELECT tgname::text, tgenabled::text FROM pg_trigger "
        "WHERE tgrelid = to_regclass(:t) AND NOT tgisinternal"), {"t": AUDIT_TABLE})
    return {name: state for name, state in rows}


def _grants(connection: Connection, tables: list[str],
            app_role: str) -> dict[str, tuple[str, ...]]:
    return {table: tuple(privilege for privilege in PRIVILEGES if connection.execute(
        text("SELECT has_table_privilege(:r, :t, :p)"),
        {"r": app_role, "t": quote(table), "p": privilege}).scalar())
        for table in tables}


def differences(source: Snapshot, restored: Snapshot, heads: frozenset[str]) -> list[str]:
    """Everything about the restored copy that is not as it should be; empty when it passes."""
    found = []
    if restored.revisions != heads:
        found.append(f"migrations: the backup is at {_names(restored.revisions)}, the code "
                     f"expects {_names(heads)}")
    for table in sorted(set(source.counts) | set(restored.counts)):
        have, want = restored.counts.get(table), source.counts.get(table)
        if have != want:
            found.append(f"{table}: {_rows(want)} in the source, {_rows(have)} in the backup")
    if source.audit_tail != restored.audit_tail:
        found.append(f"audit trail: the newest {AUDIT_TAIL} entries differ from the source's")
    found += _guard_differences(source, restored)
    return found


def _guard_differences(source: Snapshot, restored: Snapshot) -> list[str]:
    found = []
    for name in sorted(set(source.triggers) | set(restored.triggers)):
        state = restored.triggers.get(name)
        if state is None:
            found.append(f"audit guard: trigger {name} is missing from the backup")
        elif state != ENABLED:
            found.append(f"audit guard: trigger {name} is disabled in the backup")
        elif source.triggers.get(name) != ENABLED:
            found.append(f"audit guard: trigger {name} is disabled or missing in the source")
    for table in sorted(set(source.grants) | set(restored.grants)):
        have, want = restored.grants.get(table, ()), source.grants.get(table, ())
        if have != want:
            found.append(f"grants on {table}: {_names(want)} in the source, {_names(have)} "
                         "in the backup")
    return found


def _names(items) -> str:
    return ", ".join(sorted(items)) or "nothing"


def _rows(count: int | None) -> str:
    return "no table" if count is None else f"{count} row(s)"
