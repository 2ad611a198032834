"""Importing the pupil directory from a school's CSV export: mapping, updating in place,
marking pupils who are gone as left, and refusing bad rows with their row number and why."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from devdata.pupil_csv import HEADINGS, rows
from schoolsafe.extensions import db
from schoolsafe.models import Pupil, PupilName
from schoolsafe.services.pupils import importing

HEAD = "UPN,Legal Forename,Legal Surname,Preferred Forename,DOB,Year,Reg Group,Family ID\n"
GOOD = (HEAD
        + "A1,Maisie,Adebayo-Clarke,Mai,04/03/2013,Year 8,8A,F1\n"
        + "A2,Kwame,Adebayo-Clarke,,2011-05-06,Year 10,10B,F1\n"
        + "A3,Tobias,Lindqvist-Ward,,12/12/2012,Year 8,8C,F2\n")


@pytest.fixture
def school(make):
    return make.school("oak")


def run(school, text: str | bytes, mapping: dict[str, str] | None = None,
        today: date = date(2026, 1, 5)) -> importing.Summary:
    data = text.encode() if isinstance(text, str) else text
    sheet = importing.read_csv(data)
    record = importing.remembered(db.session, school.id)
    summary = importing.apply(db.session, school.id, sheet,
                              mapping or importing.guess_mapping(sheet.headings, record.columns),
                              today)
    db.session.commit()
    return summary


def pupils(school) -> dict[str, Pupil]:
    db.session.expire_all()
    return {p.upn: p for p in db.session.scalars(select(Pupil).where(
        Pupil.school_id == school.id))}


def test_a_common_export_is_read_with_its_usual_headings_and_every_field_kept(school):
    summary = run(school, GOOD)
    assert (summary.added, summary.updated, summary.left, summary.rejected) == (3, 0, 0, [])
    mai = pupils(school)["A1"]
    assert (mai.legal_first, mai.legal_last, mai.preferred_first) == \
        ("Maisie", "Adebayo-Clarke", "Mai")
    assert (mai.date_of_birth, mai.year_group, mai.reg_group, mai.family_id, mai.on_roll) == \
        (date(2013, 3, 4), "Year 8", "8A", "F1", True)
    assert pupils(school)["A2"].date_of_birth == date(2011, 5, 6)


def test_importing_again_updates_in_place_marks_the_missing_as_left_and_never_deletes(school):
    run(school, GOOD)
    first_ids = {upn: p.id for upn, p in pupils(school).items()}
    again = (HEAD + "A1,Maisie,Adebayo-Clarke,Mai,04/03/2013,Year 9,9A,F1\n"
             + "A2,Kwame,Adebayo-Clarke,,2011-05-06,Year 10,10B,F1\n"
             + "A4,Zoë,Nowak,,01/02/2014,Year 7,7A,F3\n")
    summary = run(school, again, today=date(2026, 9, 4))
    assert (summary.added, summary.updated, summary.unchanged, summary.left) == (1, 1, 1, 1)
    now = pupils(school)
    assert len(now) == 4  # Tobias is still there
    assert now["A1"].id == first_ids["A1"] and now["A1"].year_group == "Year 9"
    assert (now["A3"].on_roll, now["A3"].left_on) == (False, date(2026, 9, 4))
    summary = run(school, GOOD + "A4,Zoë,Nowak,,01/02/2014,Year 7,7A,F3\n")
    assert summary.returned == 1 and pupils(school)["A3"].on_roll


def test_bad_rows_are_refused_with_row_and_reason_and_the_good_rows_import(school):
    text = (HEAD + "A1,Maisie,Adebayo-Clarke,Mai,04/03/2013,Year 8,8A,F1\n"
            + "A2,Kwame,Adebayo-Clarke,,13/25/2011,Year 10,10B,F1\n"
            + "A3,Tobias,,,12/12/2012,Year 8,8C,F2\n"
            + "A5,Ana,Silva,,01/01/2013,Year 8,8A,F5\n"
            + "A5,Ana,Silva-Costa,,01/01/2013,Year 8,8A,F5\n"
            + "A6,Ben,Okafor,,2012-13-01,Year 8,8A,F6\n")
    summary = run(school, text)
    reasons = {r.row: r.reason for r in summary.rejected}
    assert sorted(reasons) == [3, 4, 5, 6, 7]
    assert '"13/25/2011" is not a date' in reasons[3] and "31/12/2012" in reasons[3]
    assert "legal surname is empty" in reasons[4]
    assert "A5 is on more than one row" in reasons[5] == reasons[6]
    assert '"2012-13-01"' in reasons[7]
    assert set(pupils(school)) == {"A1"}


def test_a_pupil_on_a_refused_row_is_not_marked_as_left(school):
    run(school, GOOD)
    summary = run(school, HEAD + "A1,Maisie,Adebayo-Clarke,Mai,04/03/2013,Year 8,8A,F1\n"
                  + "A2,Kwame,Adebayo-Clarke,,31-31-2011,Year 10,10B,F1\n")
    assert summary.left == 1  # only Tobias, who is not in the file at all
    assert pupils(school)["A2"].on_roll


def test_a_file_not_saved_as_utf8_gets_a_plain_message_and_changes_nothing(school):
    with pytest.raises(importing.ImportFileError, match="not saved as UTF-8"):
        run(school, GOOD.replace("Maisie", "Zoë").encode("cp1252"))
    assert pupils(school) == {}


def test_a_missing_column_is_named_and_nothing_is_imported(school):
    sheet = importing.read_csv(GOOD.encode())
    with pytest.raises(importing.ImportFileError, match="Legal surname"):
        importing.apply(db.session, school.id, sheet, {"upn": "UPN",
                                                       "legal_first": "Legal Forename"})
    with pytest.raises(importing.ImportFileError, match='no column "Surname"'):
        importing.apply(db.session, school.id, sheet, {
            "upn": "UPN", "legal_first": "Legal Forename", "legal_last": "Surname"})
    db.session.rollback()
    assert pupils(school) == {}


def test_a_failure_part_way_leaves_no_half_imported_directory(school, monkeypatch):
    run(school, GOOD)

    def broken(session, changed):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(importing, "reindex", broken)
    with pytest.raises(RuntimeError):
        run(school, HEAD + "A1,Maisie,Adebayo-Clarke,Mai,04/03/2013,Year 9,9A,F1\n")
    db.session.rollback()
    now = pupils(school)
    assert now["A1"].year_group == "Year 8" and all(p.on_roll for p in now.values())


def test_the_mapping_is_remembered_for_the_school(school):
    text = ("Adno,Forename,Family Name,Birthday,NC\nX1,Sam,Jones,01/01/2013,8\n")
    sheet = importing.read_csv(text.encode())
    guessed = importing.guess_mapping(sheet.headings, {})
    assert guessed["date_of_birth"] == "" and guessed["upn"] == "Adno"
    run(school, text, {**guessed, "date_of_birth": "Birthday", "year_group": "NC"})
    again = importing.guess_mapping(sheet.headings, importing.remembered(
        db.session, school.id).columns)
    assert (again["date_of_birth"], again["year_group"]) == ("Birthday", "NC")


def test_the_demo_list_of_two_thousand_pupils_imports_with_search_words(school):
    import csv
    import io

    out = io.StringIO()
    csv.writer(out).writerows([HEADINGS, *rows(2000, seed=3)])
    summary = run(school, out.getvalue())
    assert (summary.added, summary.rejected) == (2000, [])
    count = db.session.scalar(select(func.count()).select_from(PupilName).where(
        PupilName.school_id == school.id))
    assert count > 2000 * 3
