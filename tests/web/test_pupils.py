"""The pupil directory as a DSL uses it: importing the school's export through the preview,
finding a child by any spelling, the child's page, and linking people on cases to pupils."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from schoolsafe.extensions import db
from schoolsafe.models import AuditEvent, Case, CasePerson, Pupil, TimelineEvent
from schoolsafe.services.cases import chronology

HEAD = ("UPN,Legal Forename,Legal Surname,Preferred Forename,Other Names,DOB,Year,Reg Group,"
        "Family ID\n")
PUPILS = (HEAD
          + "A1,Maisie,Adebayo-Clarke,Mai,,04/03/2013,Year 8,8A,F1\n"
          + "A2,Kwame,Adebayo-Clarke,,,06/05/2011,Year 10,10B,F1\n"
          + "A3,Tobias,Lindqvist-Ward,,Toby,12/12/2012,Year 8,8C,F2\n"
          + "A4,Zoë,Nowak,,Zoe Smith,01/02/2014,Year 7,7A,F3\n"
          + "A5,Maisie,Jones,,,01/09/2013,Year 8,8B,F4\n"
          + "A6,Adam,Clarkson,,,02/02/2012,Year 9,9A,F5\n")


def upload(client, data: bytes, name: str = "pupils.csv"):
    return client.post("/staff/triage/pupils/import/preview",
                       data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def import_file(client, text: str = PUPILS, **mapping: str):
    preview = upload(client, text.encode())
    assert preview.status_code == 200, preview.text
    chosen = dict(re.findall(r'<select id="map-\w+" name="(\w+)">.*?<option value="([^"]*)" '
                             r'selected>', preview.text))
    return client.post("/staff/triage/pupils/import", data={**chosen, **mapping})


def text_of(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


def pupil(upn: str) -> Pupil:
    return db.session.scalar(select(Pupil).where(Pupil.upn == upn))


def found_names(client, query: str) -> list[str]:
    page = client.get("/staff/triage/pupils", query_string={"q": query})
    assert page.status_code == 200
    results = re.search(r'<ol class="results">(.*?)</ol>', page.text, re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", "", item)).split()).split(" (")[0]
            .split(",")[0] for item in re.findall(r"<li>(.*?)</li>", results.group(1), re.S)
            ] if results else []


def test_the_preview_reads_the_columns_and_the_import_says_what_changed(dsl_client, school):
    preview = upload(dsl_client, PUPILS.encode())
    assert "Check the columns" in preview.text and "Adebayo-Clarke" in preview.text
    assert re.search(r'name="legal_last">.*?<option value="Legal Surname" selected>',
                     preview.text, re.S)
    assert db.session.scalar(select(Pupil.id)) is None  # nothing imported by a preview
    done = import_file(dsl_client)
    assert "6 pupils added" in text_of(done) and "0 rows not imported" in text_of(done)
    again = import_file(dsl_client, HEAD + "A1,Maisie,Adebayo-Clarke,Mai,,04/03/2013,Year 9,9A,"
                                           "F1\n")
    said = text_of(again)
    assert "1 pupil updated" in said and "5 pupils no longer in the file, marked as left" in said
    assert pupil("A2") is not None and not pupil("A2").on_roll


def test_a_bad_file_gets_plain_messages_and_its_good_rows_are_imported(dsl_client, school):
    refused = upload(dsl_client, PUPILS.replace("Zoë", "Zoé").encode("cp1252"))
    assert refused.status_code == 400 and "not saved as UTF-8" in refused.text
    bad = (HEAD + "A1,Maisie,Adebayo-Clarke,Mai,,31/02/2013,Year 8,8A,F1\n"
           + "A2,Kwame,Adebayo-Clarke,,,06/05/2011,Year 10,10B,F1\n"
           + "A3,Tobias,Lindqvist-Ward,,,12/12/2012,Year 8,8C,F2\n"
           + "A3,Toby,Ward,,,12/12/2012,Year 8,8C,F2\n")
    said = text_of(import_file(dsl_client, bad))
    assert "1 pupil added" in said and "3 rows not imported" in said
    assert 'Row 2' not in said  # rows are listed in a table: number, then why
    assert re.search(r'2 The date of birth "31/02/2013" is not a date we can read', said)
    assert re.search(r"4 The UPN A3 is on more than one row", said)
    upload(dsl_client, bad.encode())
    missing = dsl_client.post("/staff/triage/pupils/import", data={
        "upn": "UPN", "legal_first": "Legal Forename", "legal_last": ""})
    assert missing.status_code == 400 and "Choose the column that holds: Legal surname" in \
        text_of(missing)


def test_the_mapping_chosen_once_is_chosen_again_next_time(dsl_client, school):
    odd = "Adno,Given,Family,Born\nX1,Sam,Jones,01/01/2013\n"
    import_file(dsl_client, odd, legal_first="Given", legal_last="Family", date_of_birth="Born")
    preview = upload(dsl_client, odd.encode())
    assert re.search(r'name="legal_first">.*?<option value="Given" selected>', preview.text,
                     re.S)
    assert re.search(r'name="date_of_birth">.*?<option value="Born" selected>', preview.text,
                     re.S)


@pytest.mark.parametrize("query", ["mai adebayo clarke", "Mai Adebayo Clarke",
                                   "maisie adebayo-clarke", "MAISIE ADEBAYO CLARKE",
                                   "adebayo-clarke mai", "Maisy Adebayo", "A1"])
def test_a_child_is_found_first_by_any_spelling(dsl_client, school, query):
    import_file(dsl_client)
    assert found_names(dsl_client, query)[0] == "Maisie Adebayo-Clarke"


def test_search_finds_preferred_former_and_accented_names_and_surnames(dsl_client, school):
    import_file(dsl_client)
    assert set(found_names(dsl_client, "Adebayo")) == {"Maisie Adebayo-Clarke",
                                                       "Kwame Adebayo-Clarke"}
    assert found_names(dsl_client, "toby")[0] == "Tobias Lindqvist-Ward"
    assert found_names(dsl_client, "zoe nowak") == ["Zoë Nowak"]
    assert found_names(dsl_client, "Zoë")[0] == "Zoë Nowak"
    assert found_names(dsl_client, "zoe smith") == ["Zoë Nowak"]  # a former name
    assert found_names(dsl_client, "Clarke")[:2] == ["Kwame Adebayo-Clarke",
                                                      "Maisie Adebayo-Clarke"]
    assert found_names(dsl_client, "nobody-here") == []


def test_search_stays_in_the_school_and_is_audited(dsl_client, school, make):
    import_file(dsl_client)
    elm = make.school("elm")
    db.session.add(Pupil(school_id=elm.id, upn="E1", legal_first="Maisie",
                         legal_last="Adebayo-Clarke"))
    db.session.commit()
    assert found_names(dsl_client, "maisie adebayo") == ["Maisie Adebayo-Clarke"]
    audits = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.action == "search_pupils")).all()
    assert len(audits) == 1
    assert "adebayo" not in " ".join(db.session.scalars(select(AuditEvent.record_id)).all())


def test_search_also_reaches_case_references_and_note_text(dsl_client, school, make, dsl):
    report = make.report(school).report
    opened = dsl_client.post(f"/staff/triage/reports/{report.public_id}/open-case")
    case = db.session.scalar(select(Case).where(
        Case.public_id == opened.headers["Location"].rsplit("/", 1)[1]))
    chronology.add_note(db.session, case, dsl.id, "Spoke to the bus driver about the chat.")
    db.session.commit()
    by_reference = dsl_client.get("/staff/triage/pupils", query_string={"q": case.reference})
    assert f'/staff/triage/cases/{case.public_id}"' in by_reference.text
    by_note = dsl_client.get("/staff/triage/pupils", query_string={"q": "bus driver"})
    assert "Cases with a note containing" in by_note.text
    assert f'/staff/triage/cases/{case.public_id}"' in by_note.text


def open_case_for(client, make, school, **fields) -> Case:
    report = make.report(school, **fields).report
    opened = client.post(f"/staff/triage/reports/{report.public_id}/open-case")
    return db.session.scalar(select(Case).where(
        Case.public_id == opened.headers["Location"].rsplit("/", 1)[1]))


def test_adding_a_person_suggests_pupils_and_links_only_the_one_chosen(dsl_client, school,
                                                                       make):
    import_file(dsl_client)
    case = open_case_for(dsl_client, make, school)
    url = f"/staff/triage/cases/{case.public_id}/people"
    asked = dsl_client.post(url, data={"label": "Mai", "role": "harmed"})
    assert asked.status_code == 200 and "This may be a pupil in the directory" in asked.text
    assert "Maisie Adebayo-Clarke (known as Mai)" in text_of(asked)
    assert db.session.scalar(select(CasePerson.id)) is None  # nothing saved before the choice
    dsl_client.post(url, data={"label": "Mai", "role": "harmed",
                               "pupil": pupil("A1").public_id})
    dsl_client.post(url, data={"label": "Maisie", "role": "bystander", "pupil": "none"})
    people = {p.label: p for p in db.session.scalars(select(CasePerson))}
    assert people["Mai"].pupil_id == pupil("A1").id and people["Maisie"].pupil_id is None
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "link_pupil"))
    assert db.session.scalar(select(TimelineEvent.text).where(
        TimelineEvent.text.like("%linked to the directory pupil Maisie Adebayo-Clarke%")))


def test_names_typed_in_a_report_are_suggested_never_linked_silently(dsl_client, school, make):
    import_file(dsl_client)
    case = open_case_for(dsl_client, make, school, reporter_name="Mai",
                         friend_name="Tobias Lindqvist")
    page = dsl_client.get(f"/staff/triage/cases/{case.public_id}")
    said = text_of(page)
    assert '"Mai" may be: Maisie Adebayo-Clarke' in said
    assert '"Tobias Lindqvist" may be: Tobias Lindqvist-Ward' in said
    assert db.session.scalar(select(CasePerson.id)) is None
    dsl_client.post(f"/staff/triage/cases/{case.public_id}/people/from-report",
                    data={"pupil": pupil("A3").public_id, "role": "alleged"})
    person = db.session.scalar(select(CasePerson))
    assert (person.label, person.pupil_id, person.role) == \
        ("Tobias Lindqvist-Ward", pupil("A3").id, "alleged")


def test_a_person_already_on_the_case_can_be_found_linked_and_unlinked(dsl_client, school,
                                                                      make):
    import_file(dsl_client)
    case = open_case_for(dsl_client, make, school)
    base = f"/staff/triage/cases/{case.public_id}"
    dsl_client.post(f"{base}/people", data={"label": "Toby", "role": "harmed", "pupil": "none"})
    person = db.session.scalar(select(CasePerson))
    page = dsl_client.get(base, query_string={"match": person.id})
    assert "Who is Toby in the pupil directory?" in page.text
    assert "Tobias Lindqvist-Ward" in text_of(page)
    dsl_client.post(f"{base}/people/link", data={"person": person.id,
                                                 "pupil": pupil("A3").public_id})
    db.session.expire_all()
    assert db.session.get(CasePerson, person.id).pupil_id == pupil("A3").id
    dsl_client.post(f"{base}/people/unlink", data={"person": person.id})
    db.session.expire_all()
    assert db.session.get(CasePerson, person.id).pupil_id is None
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "link_pupil" in actions and "unlink_pupil" in actions


def test_the_childs_page_shows_both_cases_and_a_sibling_one_click_away(dsl_client, school,
                                                                       make, dsl):
    import_file(dsl_client)
    mai = pupil("A1")
    for role in ("harmed", "bystander"):
        case = open_case_for(dsl_client, make, school)
        dsl_client.post(f"/staff/triage/cases/{case.public_id}/people",
                        data={"label": "Mai", "role": role, "pupil": mai.public_id})
        chronology.add_note(db.session, case, dsl.id, f"Note on the {role} case.")
        db.session.commit()
    page = dsl_client.get(f"/staff/triage/pupils/{mai.public_id}")
    said = text_of(page)
    assert said.count("their role:") >= 2 and "Harmed" in said and "Bystander" in said
    assert said.index("Note on the bystander case.") < said.index("Note on the harmed case.")
    sibling = pupil("A2")
    assert f'href="/staff/triage/pupils/{sibling.public_id}"' in page.text
    assert "Kwame Adebayo-Clarke" in said
    printed = dsl_client.get(f"/staff/triage/pupils/{mai.public_id}/print")
    assert "Note on the harmed case." in printed.text
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.record_id == mai.public_id)).all()
    assert sorted(actions) == ["print_pupil", "view_pupil"]


def test_another_schools_child_is_not_found(dsl_client, make):
    elm = make.school("elm")
    other = Pupil(school_id=elm.id, upn="E1", legal_first="Maisie", legal_last="Other")
    db.session.add(other)
    db.session.commit()
    assert dsl_client.get(f"/staff/triage/pupils/{other.public_id}").status_code == 404


def test_a_person_cannot_be_linked_to_another_schools_pupil(dsl_client, school, make):
    elm = make.school("elm")
    other = Pupil(school_id=elm.id, upn="E1", legal_first="Maisie", legal_last="Other")
    db.session.add(other)
    db.session.commit()
    case = open_case_for(dsl_client, make, school)
    base = f"/staff/triage/cases/{case.public_id}/people"
    refused = dsl_client.post(base, data={"label": "Maisie", "role": "harmed",
                                          "pupil": other.public_id})
    assert refused.status_code == 400
    assert "That pupil is not in this school's directory." in text_of(refused)
    assert db.session.scalar(select(CasePerson.id)) is None


def test_the_childs_chronology_comes_a_page_at_a_time_newest_first(dsl_client, school, make,
                                                                  dsl):
    import_file(dsl_client)
    mai = pupil("A1")
    case = open_case_for(dsl_client, make, school)
    dsl_client.post(f"/staff/triage/cases/{case.public_id}/people",
                    data={"label": "Mai", "role": "harmed", "pupil": mai.public_id})
    for n in range(30):
        chronology.add_note(db.session, case, dsl.id, f"Check-in number {n:02d}.")
        db.session.flush()
        db.session.get(TimelineEvent, db.session.scalar(select(func.max(TimelineEvent.id)))
                       ).at = datetime(2026, 1, 1) + timedelta(days=n)
    db.session.commit()
    first = text_of(dsl_client.get(f"/staff/triage/pupils/{mai.public_id}"))
    assert "Check-in number 29." in first and "Check-in number 05." not in first
    assert first.index("Check-in number 29.") < first.index("Check-in number 28.")
    assert "Page 1 of 2" in first and "Older" in first
    second = text_of(dsl_client.get(f"/staff/triage/pupils/{mai.public_id}",
                                    query_string={"page": 2}))
    assert "Check-in number 00." in second and "Check-in number 29." not in second


def test_search_reaches_accounts_on_the_register(dsl_client, school, make):
    from schoolsafe.services.register.linking import Place

    make.report(school, places=(Place("instagram", "@oak_exposed_2026"),))
    page = dsl_client.get("/staff/triage/pupils", query_string={"q": "oak_exposed"})
    assert "Accounts on the register" in page.text and "@oak_exposed_2026" in page.text


def test_the_walk_through_with_the_demo_schools_two_thousand_pupils(dsl_client, school, make):
    import csv
    import time

    from devdata.pupil_csv import HEADINGS, rows

    out = io.StringIO()
    csv.writer(out).writerows([HEADINGS, *rows(2000, seed=1)])
    started = time.monotonic()
    done = import_file(dsl_client, out.getvalue())
    assert "2000 pupils added" in text_of(done) and time.monotonic() - started < 30
    mai, kwame = pupil("A000000000001"), pupil("A000000000002")
    first = open_case_for(dsl_client, make, school, reporter_name="Mai",
                          friend_name="Tobias Lindqvist-Ward")
    assert '"Mai" may be: Maisie Adebayo-Clarke' in text_of(
        dsl_client.get(f"/staff/triage/cases/{first.public_id}"))
    second = open_case_for(dsl_client, make, school, reporter_name="Mai")
    for case in (first, second):
        dsl_client.post(f"/staff/triage/cases/{case.public_id}/people/from-report",
                        data={"pupil": mai.public_id, "role": "harmed"})
    dsl_client.post(f"/staff/triage/cases/{first.public_id}/people/from-report",
                    data={"pupil": pupil("A000000000003").public_id, "role": "bystander"})
    assert found_names(dsl_client, "mai adebayo clarke")[0] == "Maisie Adebayo-Clarke"
    page = dsl_client.get(f"/staff/triage/pupils/{mai.public_id}")
    said = text_of(page)
    for case in (first, second):
        assert f"{case.reference} - their role: Harmed" in said
        assert f"They made a report (case {case.reference})" in said
    assert f'href="/staff/triage/pupils/{kwame.public_id}"' in page.text
