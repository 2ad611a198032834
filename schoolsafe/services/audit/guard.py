"""The database roles that keep the audit trail append-only on PostgreSQL.

Migrations run as the role that owns the tables. The app connects as a second role that may
read and add audit rows but never change, empty or drop them, and may create nothing; the
owner gives it exactly that here (`flask db-roles`). Every statement can be run again, so the
grants are simply applied again after each `flask db upgrade`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, text

AUDIT_TABLE = "audit_event"
# What the app does to its other tables: retention deletes rows, so DELETE is needed too.
APP_TABLES = "SELECT, INSERT, UPDATE, DELETE"
# The migration history is changed only by migrations, never by the app.
READ_ONLY_TABLE = "alembic_version"
# What the audit table's guard is checked for afterwards: none of these may be left.
AUDIT_REFUSED = ("UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class RoleSetupError(Exception):
    """The database or the app's role can't be made safe by grants alone; says what to do."""


@dataclass(frozen=True)
class Place:
    """Where the grants go: the connected role (the tables' owner), its database and schema."""

    owner: str
    database: str
    schema: str


def quote(name: str) -> str:
    """A PostgreSQL identifier, quoted so any name is taken literally."""
    return '"' + name.replace('"', '""') + '"'


def grant_statements(place: Place, app_role: str) -> list[str]:
    """The statements that give app_role what the app uses and nothing that allows DDL."""
    app, schema, database = quote(app_role), quote(place.schema), quote(place.database)
    tables, sequences = f"ALL TABLES IN SCHEMA {schema}", f"ALL SEQUENCES IN SCHEMA {schema}"
    defaults = f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema}"
    return [
        f"GRANT CONNECT ON DATABASE {database} TO {app}",
        f"REVOKE CREATE ON DATABASE {database} FROM PUBLIC, {app}",
        f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC, {app}",
        f"GRANT USAGE ON SCHEMA {schema} TO {app}",
        f"REVOKE ALL ON {tables} FROM {app}",
        f"GRANT {APP_TABLES} ON {tables} TO {app}",
        f"REVOKE UPDATE, DELETE ON {schema}.{quote(AUDIT_TABLE)} FROM {app}",
        f"REVOKE INSERT, UPDATE, DELETE ON {schema}.{quote(READ_ONLY_TABLE)} FROM {app}",
        f"REVOKE ALL ON {sequences} FROM {app}",
        f"GRANT USAGE, SELECT ON {sequences} TO {app}",
        # Tables and sequences later migrations create get the same grants. The audit table
        # already exists, so its narrower grant above is not widened by these.
        f"{defaults} REVOKE ALL ON TABLES FROM {app}",
        f"{defaults} GRANT {APP_TABLES} ON TABLES TO {app}",
        f"{defaults} REVOKE ALL ON SEQUENCES FROM {app}",
        f"{defaults} GRANT USAGE, SELECT ON SEQUENCES TO {app}",
    ]


def grant_app_role(connection: Connection, app_role: str) -> list[str]:
    """Check the roles, run the grants, check the result; return the statements run."""
    place = check_roles(connection, app_role)
    statements = grant_statements(place, app_role)
    for statement in statements:
        connection.execute(text(statement))
    check_grants(connection, place, app_role)
    return statements


def _one(connection: Connection, sql: str, **params: object) -> object:
    return connection.execute(text(sql), params).scalar()


def check_roles(connection: Connection, app_role: str) -> Place:
    """Refuse, with what to do, anything grants alone can't make safe."""
    if connection.dialect.name != "postgresql":
        raise RoleSetupError("Database roles are a PostgreSQL feature: on SQLite there is "
                             "nothing to set up.")
    if not _ROLE_NAME.match(app_role):
        raise RoleSetupError(f"{app_role!r} is not a plain lower-case role name.")
    owner, database, schema = connection.execute(
        text("SELECT current_user, current_database(), current_schema()")).one()
    place = Place(owner, database, schema)
    super_user = _one(connection, "SELECT rolsuper FROM pg_roles WHERE rolname = :r", r=app_role)
    if super_user is None:
        raise RoleSetupError(f"There is no role named {app_role}. Create it first, as a "
                             f"superuser: CREATE ROLE {app_role} LOGIN PASSWORD '...';")
    if app_role == owner:
        raise RoleSetupError(f"{app_role} is the role connected now, which owns the tables. "
                             "Connect as the owner (MIGRATIONS_DATABASE_URL) and name the "
                             "app's own role.")
    if super_user:
        raise RoleSetupError(f"{app_role} is a superuser: no grant can stop it changing the "
                             "audit trail. Give the app a role that is not a superuser.")
    if _one(connection, "SELECT pg_has_role(:r, current_user, 'MEMBER')", r=app_role):
        raise RoleSetupError(f"{app_role} is a member of {owner} and so has its rights: "
                             f"REVOKE {owner} FROM {app_role};")
    _check_ownership(connection, place, app_role)
    return place


def _check_ownership(connection: Connection, place: Place, app_role: str) -> None:
    owned = _one(connection, """
        SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = :schema AND pg_get_userbyid(c.relowner) = :r""",
                 schema=place.schema, r=app_role)
    owners = connection.execute(text("""
        SELECT pg_get_userbyid(d.datdba), pg_get_userbyid(n.nspowner)
        FROM pg_database d, pg_namespace n
        WHERE d.datname = current_database() AND n.nspname = :schema"""),
                                {"schema": place.schema}).one()
    if owned or app_role in owners:
        raise RoleSetupError(f"{app_role} owns the database, the schema or tables in it. As "
                             f"a superuser, hand them to the owner: REASSIGN OWNED BY "
                             f"{app_role} TO {place.owner};")
    table_owner = _one(connection, "SELECT pg_get_userbyid(relowner) FROM pg_class "
                                   "WHERE oid = to_regclass(:t)",
                       t=f"{quote(place.schema)}.{quote(AUDIT_TABLE)}")
    if table_owner is None:
        raise RoleSetupError(f"There is no {AUDIT_TABLE} table yet: run flask db upgrade "
                             "first, as this role.")
    if table_owner != place.owner:
        raise RoleSetupError(f"{AUDIT_TABLE} belongs to {table_owner}: connect as that role.")


def check_grants(connection: Connection, place: Place, app_role: str) -> None:
    """Confirm the app role can't change the audit trail or create anything; else refuse."""
    table = f"{quote(place.schema)}.{quote(AUDIT_TABLE)}"
    left = [privilege for privilege in AUDIT_REFUSED if _one(
        connection, "SELECT has_table_privilege(:r, :t, :p)", r=app_role, t=table, p=privilege)]
    if left:
        raise RoleSetupError(f"{app_role} still has {', '.join(left)} on {AUDIT_TABLE} (through "
                             "PUBLIC or another role): revoke it there.")
    if _one(connection, "SELECT has_schema_privilege(:r, :s, 'CREATE')",
            r=app_role, s=place.schema):
        raise RoleSetupError(f"{app_role} may still create tables in schema {place.schema}: "
                             f"as the schema's owner, REVOKE CREATE ON SCHEMA {place.schema} "
                             "FROM PUBLIC;")
    if _one(connection, "SELECT has_database_privilege(:r, current_database(), 'CREATE')",
            r=app_role):
        raise RoleSetupError(f"{app_role} may still create schemas in {place.database}: as the "
                             f"database's owner, REVOKE CREATE ON DATABASE {place.database} "
                             "FROM PUBLIC;")
