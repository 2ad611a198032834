"""Two SQL expressions insight needs that SQLite and PostgreSQL spell differently.

Both render without bound parameters, so the same expression can appear in SELECT and
GROUP BY and PostgreSQL sees them as one.
"""

from __future__ import annotations

from sqlalchemy import Float, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class MonthOf(FunctionElement):
    """The 'YYYY-MM' calendar month of a timestamp column."""

    type = String()
    name = "month_of"
    inherit_cache = True


class MinutesBetween(FunctionElement):
    """Minutes from the first timestamp to the second, with fractions."""

    type = Float()
    name = "minutes_between"
    inherit_cache = True


@compiles(MonthOf, "sqlite")
def _month_sqlite(element: MonthOf, compiler, **kw) -> str:
    # SQLite keeps timestamps as ISO text, so the month is the first seven characters.
    (column,) = list(element.clauses)
    return f"substr({compiler.process(column, **kw)}, 1, 7)"


@compiles(MonthOf, "postgresql")
def _month_postgresql(element: MonthOf, compiler, **kw) -> str:
    (column,) = list(element.clauses)
    return f"to_char({compiler.process(column, **kw)}, 'YYYY-MM')"


@compiles(MinutesBetween, "sqlite")
def _minutes_sqlite(element: MinutesBetween, compiler, **kw) -> str:
    start, end = (compiler.process(column, **kw) for column in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 1440.0)"


@compiles(MinutesBetween, "postgresql")
def _minutes_postgresql(element: MinutesBetween, compiler, **kw) -> str:
    start, end = (compiler.process(column, **kw) for column in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 60.0)"
