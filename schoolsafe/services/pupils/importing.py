"""Importing the pupil directory from a school's management information system export (CSV).

Reading the file, matching its columns to our fields (guessed from the usual headings, or as
the school mapped them last time), checking each row, and applying the good rows in one go:
pupils are updated in place, new ones added, and pupils missing from the file marked as left -
never deleted. Bad rows are refused with their row number and the reason. The caller commits
once, so a failure part-way leaves the directory exactly as it was.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from schoolsafe.models import Case, Pupil, PupilImportMapping
from schoolsafe.models.base import utcnow
from schoolsafe.services.errors import WordedError
from schoolsafe.services.pupils.directory import reindex
from schoolsafe.services.pupils.leaving import prompt_hand_on
from schoolsafe.services.pupils.names import fold
from schoolsafe.services.sanitize import clean_text
from schoolsafe.vocab import N_, PupilField

REQUIRED = (PupilField.UPN, PupilField.LEGAL_FIRST, PupilField.LEGAL_LAST)
LIMITS = {PupilField.UPN: 40, PupilField.LEGAL_FIRST: 80, PupilField.LEGAL_LAST: 80,
          PupilField.PREFERRED_FIRST: 80, PupilField.OTHER_NAMES: 400,
          PupilField.YEAR_GROUP: 40, PupilField.REG_GROUP: 40, PupilField.FAMILY_ID: 40}
# The headings management information systems commonly give each field, folded.
USUAL_HEADINGS: dict[str, tuple[str, ...]] = {
    PupilField.UPN: ("upn", "unique pupil number", "pupil id", "admission number", "adno",
                     "school id"),
    PupilField.LEGAL_FIRST: ("legal forename", "forename", "first name", "legal first name"),
    PupilField.LEGAL_LAST: ("legal surname", "surname", "last name", "family name"),
    PupilField.PREFERRED_FIRST: ("preferred forename", "preferred first name", "known as",
                                 "preferred name"),
    PupilField.OTHER_NAMES: ("other names", "former surname", "former names", "nickname",
                             "also known as"),
    PupilField.DATE_OF_BIRTH: ("dob", "date of birth", "birth date"),
    PupilField.YEAR_GROUP: ("year", "year group", "ncyear", "nc year"),
    PupilField.REG_GROUP: ("reg group", "registration group", "form", "tutor group", "reg"),
    PupilField.FAMILY_ID: ("family id", "household id", "family", "contact group"),
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
OTHER_NAME_SEPARATORS = re.compile(r"[;|]")


class ImportFileError(WordedError):
    """The file as a whole cannot be read or mapped; the message says why in plain words."""


@dataclass(frozen=True)
class SheetFile:
    """A CSV export as read: its headings and its rows (row 1 is the headings)."""

    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Rejected:
    """A row that was not imported, by its row number in the file, and why."""

    row: int
    reason: str


@dataclass
class Summary:
    """What an import changed."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    left: int = 0
    # Open cases where a pupil marked left is a linked person: each now prompts a hand-on.
    cases_to_hand_on: list[Case] = field(default_factory=list)
    returned: int = 0
    rejected: list[Rejected] = field(default_factory=list)


def read_csv(data: bytes) -> SheetFile:
    """Read an export as UTF-8 CSV (a byte-order mark is fine); plain errors otherwise."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(N_(
            "This file is not saved as UTF-8 text, so names with accents would come out wrong. "
            "Export it again choosing \"CSV (UTF-8)\", or open it in a spreadsheet and save it "
            "as \"CSV UTF-8\", then try again.")) from None
    return read_text(text)


def read_text(text: str) -> SheetFile:
    """Read CSV text into headings and rows."""
    try:
        lines = list(csv.reader(io.StringIO(text)))
    except csv.Error as error:
        raise ImportFileError(N_("This file could not be read as CSV (%(error)s)."),
                              error=str(error)) from None
    lines = [line for line in lines if any(cell.strip() for cell in line)]
    if len(lines) < 2:
        raise ImportFileError(N_("This file has no pupils in it: it needs a row of column "
                                 "headings and then one row per pupil."))
    headings = tuple(h.strip() for h in lines[0])
    return SheetFile(headings, tuple(tuple(line) for line in lines[1:]))


def remembered(session: Session, school_id: int) -> PupilImportMapping:
    """The school's import record: its remembered mapping and any file waiting for preview."""
    record = session.scalar(select(PupilImportMapping).where(
        PupilImportMapping.school_id == school_id))
    if record is None:
        record = PupilImportMapping(school_id=school_id, columns={}, pending_text="")
        session.add(record)
    return record


def guess_mapping(headings: tuple[str, ...], saved: dict[str, str]) -> dict[str, str]:
    """Each field's column: as mapped last time if the file still has it, else by heading."""
    by_fold = {fold(" ".join(h.replace("_", " ").split())): h for h in headings}
    mapping = {}
    for name in PupilField.values():
        if saved.get(name) in headings:
            mapping[name] = saved[name]
            continue
        mapping[name] = next((by_fold[h] for h in USUAL_HEADINGS[name] if h in by_fold), "")
    return mapping


def check_mapping(headings: tuple[str, ...], mapping: dict[str, str]) -> dict[str, str]:
    """The mapping kept to known fields and columns; refused if a needed column is missing."""
    clean = {name: mapping.get(name, "") for name in PupilField.values()}
    gone = [f'"{column}"' for column in clean.values() if column and column not in headings]
    if gone:
        raise ImportFileError(N_("This file has no column %(columns)s. Choose the column that "
                                 "holds each field."), columns=", ".join(gone))
    missing = [PupilField(name).label for name in REQUIRED if not clean[name]]
    if missing:
        raise ImportFileError(N_("Choose the column that holds: %(fields)s. Every pupil needs "
                                 "these."), fields="; ".join(missing))
    return clean


def parse_date(value: str) -> date:
    """A date of birth as exports write it: 31/12/2012 or 2012-12-31."""
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError(f'the date of birth "{value.strip()}" is not a date we can read; '
                     "write it as 31/12/2012 or 2012-12-31")


def _row_values(sheet: SheetFile, mapping: dict[str, str],
                row: tuple[str, ...]) -> dict[str, str]:
    index = {h: i for i, h in enumerate(sheet.headings)}
    return {name: clean_text(row[index[col]], keep_newlines=False)
            if col and index[col] < len(row) else "" for name, col in mapping.items()}


def _checked(values: dict[str, str]) -> dict[str, object]:
    for name in REQUIRED:
        if not values[name]:
            raise ValueError(f"the {PupilField(name).label.lower()} is empty")
    for name, limit in LIMITS.items():
        if len(values[name]) > limit:
            raise ValueError(f"the {PupilField(name).label.lower()} is longer than {limit} "
                             "characters")
    born = parse_date(values["date_of_birth"]) if values["date_of_birth"] else None
    others = [o.strip() for o in OTHER_NAME_SEPARATORS.split(values["other_names"]) if o.strip()]
    return {**values, "date_of_birth": born, "other_names": others}


def check_rows(sheet: SheetFile, mapping: dict[str, str]
               ) -> tuple[dict[str, dict[str, object]], list[Rejected], set[str]]:
    """The good rows by UPN, the refused rows with reasons, and every UPN the file names."""
    good: dict[str, tuple[int, dict[str, object]]] = {}
    rejected, named, repeated = [], set(), set()
    for number, row in enumerate(sheet.rows, start=2):
        values = _row_values(sheet, mapping, row)
        upn = values["upn"]
        named.add(upn)
        try:
            checked = _checked(values)
        except ValueError as error:
            rejected.append(Rejected(number, _sentence(f"{error}.")))
            continue
        if upn in good or upn in repeated:
            repeated.add(upn)
            rejected.append(Rejected(number, f"The UPN {upn} is on more than one row; "
                                             "none of those rows was imported."))
            continue
        good[upn] = (number, checked)
    for upn in repeated & good.keys():
        number, _ = good.pop(upn)
        rejected.append(Rejected(number, f"The UPN {upn} is on more than one row; none of "
                                         "those rows was imported."))
    return ({upn: values for upn, (_, values) in good.items()},
            sorted(rejected, key=lambda r: r.row), named)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


FIELDS_STORED = ("legal_first", "legal_last", "preferred_first", "other_names",
                 "date_of_birth", "year_group", "reg_group", "family_id")


def apply(session: Session, school_id: int, sheet: SheetFile, mapping: dict[str, str],
          today: date | None = None) -> Summary:
    """Bring the directory in line with the file; the caller commits (or rolls back)."""
    mapping = check_mapping(sheet.headings, mapping)
    good, rejected, named = check_rows(sheet, mapping)
    if not good:
        raise ImportFileError(N_("No row of this file could be imported, so nothing has "
                                 "changed. %(rows)s"),
                              rows=" ".join(f"Row {r.row}: {r.reason}" for r in rejected[:5]))
    today = today or utcnow().date()
    summary = Summary(rejected=rejected)
    existing = {p.upn: p for p in session.scalars(select(Pupil).where(
        Pupil.school_id == school_id))}
    changed = _update_existing(existing, good, mapping, summary)
    added = [Pupil(school_id=school_id, upn=upn, on_roll=True,
                   **{k: v for k, v in values.items() if k in FIELDS_STORED})
             for upn, values in good.items() if upn not in existing]
    session.add_all(added)
    summary.added = len(added)
    leavers = []
    for pupil in existing.values():
        # A pupil on a refused row is still on the school's roll, so is never marked as left.
        if pupil.on_roll and pupil.upn not in named:
            pupil.on_roll, pupil.left_on, pupil.updated_at = False, today, utcnow()
            leavers.append(pupil)
    summary.left = len(leavers)
    session.flush()
    # Their open cases prompt the DSL to hand their file on.
    summary.cases_to_hand_on = prompt_hand_on(session, leavers, None)
    reindex(session, changed + added)
    record = remembered(session, school_id)
    record.columns, record.pending_text, record.changed_at = mapping, "", utcnow()
    return summary


def _update_existing(existing: dict[str, Pupil], good: dict[str, dict[str, object]],
                     mapping: dict[str, str], summary: Summary) -> list[Pupil]:
    changed = []
    for upn, values in good.items():
        pupil = existing.get(upn)
        if pupil is None:
            continue
        # A field the file does not have (no column mapped) keeps what the directory holds.
        fresh = {k: values[k] for k in FIELDS_STORED if mapping.get(k)}
        if not pupil.on_roll:
            pupil.on_roll, pupil.left_on = True, None
            summary.returned += 1
        if any(getattr(pupil, k) != v for k, v in fresh.items()):
            for key, value in fresh.items():
                setattr(pupil, key, value)
            pupil.updated_at = utcnow()
            changed.append(pupil)
            summary.updated += 1
        else:
            summary.unchanged += 1
    return changed
