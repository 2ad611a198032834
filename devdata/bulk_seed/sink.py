"""Writing generated rows in bulk: COPY on PostgreSQL, one executemany per table on SQLite.

Rows are buffered per table and written parents-first (the metadata's dependency order), so
every foreign key points at a row already written. Ids are handed out here rather than by the
database, which lets one school's rows refer to each other before any of them is written.

While loading, the secondary indexes (and on PostgreSQL the foreign keys) are set aside and
built again at the end in one pass each, which is many times faster than keeping them up to
date row by row. Unique constraints stay, so a duplicate still fails the load. If a load is
interrupted, start again on a fresh database.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Engine,
    ForeignKeyConstraint,
    Table,
    func,
    select,
    text,
)
from sqlalchemy.schema import AddConstraint, CreateIndex, DropConstraint, DropIndex

from schoolsafe.extensions import db

Convert = Callable[[Any], Any]


class Required(Exception):
    """A row names a column the table lacks, or leaves out one that has no default."""


class _Call:
    """A column default computed per row (public ids, timestamps)."""

    def __init__(self, make: Callable[[Any], Any]) -> None:
        self.make = make


_MISSING = object()


def _default(column: Any) -> Any:
    """The model's own default for a column, so generated rows match what the ORM writes."""
    default = column.default
    if default is None:
        return None if column.nullable else _MISSING
    return _Call(default.arg) if default.is_callable else default.arg


def _sqlite_datetime(value: datetime | None) -> str | None:
    # The exact text SQLAlchemy's SQLite DateTime type writes and reads back.
    return None if value is None else value.isoformat(" ", "microseconds")


def _sqlite_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _to_json(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


def _sqlite_bool(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _converters(table: Table, dialect: str) -> dict[int, Convert]:
    """Per column position, how a Python value becomes what the driver's bulk path takes."""
    found: dict[int, Convert] = {}
    for position, column in enumerate(table.columns):
        kind = column.type
        if isinstance(kind, JSON):
            found[position] = _to_json
        elif dialect == "sqlite" and isinstance(kind, DateTime):
            found[position] = _sqlite_datetime
        elif dialect == "sqlite" and isinstance(kind, Date):
            found[position] = _sqlite_date
        elif dialect == "sqlite" and isinstance(kind, Boolean):
            found[position] = _sqlite_bool
    return found


def _fill(table: str, key: str, default: Any) -> Any:
    if default is _MISSING:
        raise Required(f"{table}.{key} needs a value")
    return default.make(None) if isinstance(default, _Call) else default


class Sink:
    """Buffers rows per table and writes them in bulk; hands out ids."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self.tables = {t.name: t for t in db.metadata.sorted_tables}
        self.order = [t.name for t in db.metadata.sorted_tables]
        self.converters = {name: _converters(t, self.dialect) for name, t in self.tables.items()}
        self.defaults = {name: [(c.key, _default(c)) for c in t.columns]
                         for name, t in self.tables.items()}
        self.columns = {name: set(t.c.keys()) for name, t in self.tables.items()}
        self.buffers: dict[str, list[tuple]] = defaultdict(list)
        self.written: dict[str, int] = defaultdict(int)
        self._next_id = self._first_free_ids()

    def _first_free_ids(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            return {name: (connection.scalar(select(func.max(table.c.id))) or 0) + 1
                    for name, table in self.tables.items() if "id" in table.c}

    def new_id(self, table: str) -> int:
        """The next free id of a table."""
        number = self._next_id[table]
        self._next_id[table] = number + 1
        return number

    def add(self, table: str, **values: Any) -> None:
        """Buffer one row; columns not given take the model's default (Required if none)."""
        if not values.keys() <= self.columns[table]:
            raise Required(f"{table} has no column {sorted(values.keys() - self.columns[table])}")
        row = [values[key] if key in values else _fill(table, key, default)
               for key, default in self.defaults[table]]
        for position, convert in self.converters[table].items():
            row[position] = convert(row[position])
        self.buffers[table].append(tuple(row))

    @property
    def buffered(self) -> int:
        """Rows waiting to be written."""
        return sum(len(rows) for rows in self.buffers.values())

    def flush(self) -> None:
        """Write every buffered row, parents first, in one transaction."""
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            if self.dialect == "sqlite":
                # Load speed over durability: this connection only, for generated data.
                cursor.execute("PRAGMA synchronous=OFF")
            for name in self.order:
                rows = self.buffers.pop(name, [])
                if rows:
                    self._write(cursor, self.tables[name], rows)
                    self.written[name] += len(rows)
            raw.commit()
        finally:
            raw.close()

    def _write(self, cursor: Any, table: Table, rows: list[tuple]) -> None:
        if self.dialect == "postgresql":
            from psycopg import sql

            copy_sql = sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, table.c.keys())))
            with cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(str(table.insert().compile(dialect=self.engine.dialect)), rows)

    def _foreign_keys(self) -> list[ForeignKeyConstraint]:
        if self.dialect != "postgresql":
            return []  # SQLite does not check them unless asked to, and nothing asks
        return [c for t in self.tables.values() for c in t.constraints
                if isinstance(c, ForeignKeyConstraint)]

    def set_indexes_aside(self) -> None:
        """Drop secondary indexes (and PostgreSQL foreign keys) until finish()."""
        with self.engine.begin() as connection:
            for constraint in self._foreign_keys():
                connection.execute(DropConstraint(constraint))
            for table in self.tables.values():
                for index in table.indexes:
                    connection.execute(DropIndex(index))

    def finish(self) -> None:
        """Write what is left, rebuild indexes and keys, move sequences on, refresh stats."""
        self.flush()
        with self.engine.begin() as connection:
            for table in self.tables.values():
                for index in table.indexes:
                    connection.execute(CreateIndex(index))
            for constraint in self._foreign_keys():
                connection.execute(AddConstraint(constraint))
            if self.dialect == "postgresql":
                for name, table in self.tables.items():
                    if "id" in table.c:
                        highest = select(func.coalesce(func.max(table.c.id), 1))
                        connection.execute(select(func.setval(
                            func.pg_get_serial_sequence(name, "id"), highest.scalar_subquery())))
        self.analyze()

    def analyze(self) -> None:
        """Give the query planner fresh statistics (outside a transaction on PostgreSQL).

        On PostgreSQL VACUUM also marks the new pages all-visible, as autovacuum would in time,
        so counts can be answered from an index alone straight away.
        """
        command = "ANALYZE"
        if self.dialect == "postgresql":
            # Our own tables only: the shared catalogs are the superuser's to vacuum.
            command = f"VACUUM ANALYZE {', '.join(self.order)}"
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(command))
