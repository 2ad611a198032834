"""The one place that hides reports and cases about a member of staff.

A report or case with `restricted_to` set (a Role in vocab.ALLEGATIONS_CONTACTS) may be seen
only by staff holding that role in its school and those a contact added to its case by name
(models.CaseReader), and never by the member of staff it names. An allegations contact who is
not a DSL of the school sees only those records there: the school's other reports and cases
are the DSLs' alone.
`watch()` puts a viewer on a session; from then on every ORM SELECT of reports or cases made
through that session - lists, counts, search, joins and subqueries alike - leaves out what
the viewer may not see, so no query can forget the rule. Jobs and commands set no viewer and
see everything (they route the alerts). A query that must count what is hidden (to say that
something exists) asks for it with `everything()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    and_,
    event,
    false,
    literal,
    literal_column,
    not_,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import ORMExecuteState, Session, aliased, with_loader_criteria
from sqlalchemy.sql import ColumnElement, Select, visitors
from sqlalchemy.sql.expression import TableClause

from schoolsafe.models import (
    Case,
    CaseEntry,
    CasePerson,
    CaseReader,
    CaseTask,
    FileTransfer,
    ParentContact,
    Referral,
    Report,
    SafetyPlan,
)
from schoolsafe.services.allegations import contacts
from schoolsafe.vocab import ALLEGATIONS_CONTACTS, Role

VIEWER_KEY = "allegations_viewer"
# "Restricted to nobody", written into the SQL rather than bound, so the partial indexes on
# restricted reports and cases (ix_report_restricted, ix_case_restricted) serve: SQLite
# matches an index's WHERE only against a literal.
_NOBODY = literal_column("''")
SEE_EVERYTHING = "allegations_see_everything"


@dataclass(frozen=True)
class Viewer:
    """A signed-in member of staff, with the schools where they are an allegations contact."""

    user_id: int
    name: str = ""
    # (school id, contact role) for each allegations contact role they hold.
    contact_roles: tuple[tuple[int, str], ...] = ()
    # Schools where they are an allegations contact but not a DSL: there they see only the
    # records routed to them, never the school's everyday reports and cases.
    contact_only: tuple[int, ...] = ()


def viewer_of(user_id: int, name: str, memberships: list[tuple[int, str]]) -> Viewer:
    """A viewer from the (school id, role) pairs the user holds."""
    roles = tuple(sorted((school, role) for school, role in memberships
                         if role in ALLEGATIONS_CONTACTS))
    dsl_of = {school for school, role in memberships if role == Role.DSL}
    contact_only = tuple(sorted({school for school, _role in roles} - dsl_of))
    return Viewer(user_id, name, roles, contact_only)


def watch(session: Session, viewer: Viewer) -> None:
    """Let this session find only what the viewer may see, until forget()."""
    session.info[VIEWER_KEY] = viewer


def forget(session: Session) -> None:
    """Take the viewer off the session (the end of a request)."""
    session.info.pop(VIEWER_KEY, None)


def viewer(session: Session) -> Viewer | None:
    """The viewer this session is watching for, if any."""
    return session.info.get(VIEWER_KEY)


def everything(statement: Select) -> Select:
    """The statement run without the viewer's filter (to count what exists, never to show it)."""
    return statement.execution_options(**{SEE_EVERYTHING: True})


def clause(model: type[Report] | type[Case], who: Viewer) -> ColumnElement[bool]:
    """SQL for the records of `model` the viewer may see."""
    return _clause(model, model.id if model is Case else model.case_id, who)


def _clause(model, in_case: ColumnElement[int], who: Viewer) -> ColumnElement[bool]:
    theirs = [and_(model.school_id == school, model.restricted_to == role)
              for school, role in who.contact_roles]
    added = select(CaseReader.case_id).where(CaseReader.user_id == who.user_id)
    # Never NULL (a report in no case): NOT of this clause must still say "hidden".
    theirs.append(and_(in_case.is_not(None), in_case.in_(added)))
    not_named = or_(model.accused_staff_id.is_(None), model.accused_staff_id != who.user_id)
    everyday = model.restricted_to == ""
    if who.contact_only:
        everyday = and_(everyday, model.school_id.not_in(who.contact_only))
    return or_(everyday, and_(or_(false(), *theirs), not_named))


def _filter(state: ORMExecuteState) -> None:
    who = state.session.info.get(VIEWER_KEY)
    # Loading more of a record already found (a refresh, a lazy column) is not a search.
    if (who is None or not state.is_select or state.is_column_load
            or state.execution_options.get(SEE_EVERYTHING)):
        return
    criteria = _criteria(who)
    # A relationship load from a query that had all of them carries them already.
    carried = {id(option) for option in state.statement._with_options}
    if all(id(option) in carried for option in criteria):
        return
    statement = state.statement
    # Only the criteria for tables the statement names, when that can be read off it (a plain
    # SELECT: no relationship joins or loader options, whose tables are added when it is
    # compiled): working out a statement's cache key with all nine costs more than most
    # queries do, and most statements touch one or two of these tables or none.
    if (isinstance(statement, Select) and not statement._setup_joins
            and not statement._with_options):
        named = _tables_in(statement)
        criteria = tuple(option for option, table in zip(criteria, _TABLES, strict=True)
                         if table in named)
        if not criteria:
            return
    state.statement = statement.options(*criteria)


def _tables_in(statement: Select) -> set[str]:
    """Every table the statement names anywhere, subqueries and correlated EXISTS included."""
    names = set()
    for element in visitors.iterate(statement):
        table = element if isinstance(element, TableClause) else getattr(element, "table", None)
        if isinstance(table, TableClause):
            names.add(table.name)
    return names


@lru_cache(maxsize=512)
def _criteria(who: Viewer) -> tuple[Any, ...]:
    """The viewer's loader criteria, built once per viewer and process: building them costs
    more than running most of the queries they go on (SQL expressions are immutable, so the
    same ones serve every statement and thread)."""
    # A referral note, and the casework that hangs off a case (its people, chronology entries,
    # parent contacts, tasks, safety plans and file transfers), is seen with its case: "My
    # tasks" and its overdue count leave out a task on a case the viewer may not open.
    return (
        with_loader_criteria(Report, clause(Report, who), include_aliases=True),
        with_loader_criteria(Case, clause(Case, who), include_aliases=True),
        *(with_loader_criteria(model, _case_seen(model, who), include_aliases=True)
          for model in _WITH_CASE),
        # A file handed on to another school is that school's to open (its lists ask only for
        # files sent to it); at the sending school it is seen with its case.
        with_loader_criteria(FileTransfer, or_(
            _case_seen(FileTransfer, who),
            and_(FileTransfer.to_school_id.is_not(None),
                 FileTransfer.to_school_id != FileTransfer.school_id)), include_aliases=True))


def _case_seen(model, who: Viewer) -> ColumnElement[bool]:
    """Whether the row's case is one the viewer may see: a lookup of that one case by its key
    (an EXISTS), so no database builds the list of every case it could see first (SQLite
    did, for each casework query: 180 ms on a case page at a million reports)."""
    case = _SEEN_CASE
    return (select(literal(1)).select_from(case)
            .where(case.id == model.case_id, _clause(case, case.id, who))
            .correlate_except(case).exists())


# One alias for every lookup: SQLAlchemy remembers how its columns map, a new one per
# query would be worked out again each time.
_SEEN_CASE = aliased(Case, name="seen_case")

# Records seen only with the case they belong to.
_WITH_CASE = (Referral, CasePerson, CaseEntry, ParentContact, CaseTask, SafetyPlan)
# The table each of _criteria's options is for, in the same order.
_TABLES = tuple(model.__tablename__
                for model in (Report, Case, *_WITH_CASE, FileTransfer))


def install() -> None:
    """Hook the filter into every session (once per process)."""
    if not event.contains(Session, "do_orm_execute", _filter):
        event.listen(Session, "do_orm_execute", _filter)


def hidden_from(session: Session, model: type[Report] | type[Case] | type[Referral],
                public_id: str, school_ids: list[int]) -> Report | Case | Referral | None:
    """The record with this id in these schools if it exists but the viewer may not see it."""
    record = session.scalar(everything(select(model).where(
        model.public_id == public_id, model.school_id.in_(school_ids))))
    if record is None or viewer(session) is None:
        return None
    # Found when nobody is watching, and not when this viewer is: hidden from them.
    seen = session.scalar(select(model.id).where(model.id == record.id))
    return None if seen is not None else record


def restricted_elsewhere(session: Session, school_id: int) -> int:
    """How many reports about staff exist in the school that the viewer may not open and
    may not be named in: a DSL is told they exist, with no detail; the person named is not."""
    who = viewer(session)
    # Only a DSL is told: a contact who is not one hears of nothing beyond what is theirs.
    if who is None or school_id in who.contact_only:
        return 0
    rows = session.execute(everything(
        select(Report.accused_staff_id, Report.accused_who)
        .where(Report.school_id == school_id, Report.restricted_to != _NOBODY,
               not_(clause(Report, who)))))
    return sum(1 for named, words in rows
               if named != who.user_id and not contacts.may_be(who.name, words))


def leave_out_hidden(session: Session, statement: Select, record_id: ColumnElement[str]) -> Select:
    """The statement without rows whose `record_id` names a report, case or referral the
    viewer may not see (the audit trail's rows about them, say)."""
    who = viewer(session)
    if who is None:
        return statement
    hidden_cases = select(Case.id).where(Case.restricted_to != _NOBODY, not_(clause(Case, who)))
    hidden = union_all(
        select(Report.public_id).where(Report.restricted_to != _NOBODY,
                                       not_(clause(Report, who))),
        select(Case.public_id).where(Case.id.in_(hidden_cases)),
        select(Referral.public_id).where(Referral.case_id.in_(hidden_cases)))
    # Run unfiltered: the filter would empty the list of what is hidden.
    return everything(statement.where(record_id.not_in(hidden)))
