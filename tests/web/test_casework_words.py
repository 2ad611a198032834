"""The case pages and the containment checklist in the language a member of staff works in:
every word on them is marked for translation, and a DSL who chose Swedish reads the case, the
cases list, the checklist, its print view, the case file and the audit trail in Swedish."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from sqlalchemy import select

from schoolsafe.extensions import babel, db
from schoolsafe.models import Case, Referral
from scripts.unmarked_text import TEMPLATES, unmarked_in
from tests.conftest import empty_tables, make_app
from tests.factories import Factory, sign_in

CASEWORK_TEMPLATES = sorted([*(TEMPLATES / "triage").glob("_*.html"), *(
    TEMPLATES / "triage" / name for name in (
        "case.html", "case_audit.html", "case_export.html", "cases.html", "checklist.html",
        "checklist_macros.html", "checklist_print.html"))])


@pytest.mark.parametrize("template", CASEWORK_TEMPLATES, ids=lambda path: path.name)
def test_every_word_a_dsl_reads_on_the_case_pages_is_marked_for_translation(template: Path):
    assert unmarked_in(template) == []


# A few Swedish strings stand in for the catalogue while it is being translated.
SWEDISH = {
    "Case %(reference)s": "Ärende %(reference)s",
    "Case sections": "Ärendets delar",
    "Back to cases": "Tillbaka till ärenden",
    "Containment checklist": "Checklista för att stoppa spridningen",
    "%(done)d done, %(skipped)d not applicable, %(todo)d to do":
        "%(done)d klara, %(skipped)d gäller inte, %(todo)d att göra",
    "Mark done": "Markera som klar",
    "Role of %(name)s": "Roll för %(name)s",
    "Cases at %(school)s": "Ärenden på %(school)s",
    "Assigned to": "Tilldelad",
    "Containment checklist: case %(reference)s":
        "Checklista för att stoppa spridningen: ärende %(reference)s",
    "Case %(reference)s: audit trail": "Ärende %(reference)s: granskningslogg",
}
DRAFTS_LEFT_OUT = ("%(num)d draft never sent is left out.",
                   "%(num)d drafts never sent are left out.")


@pytest.fixture
def swedish_app(database_url, tmp_path):
    folder = tmp_path / "translations" / "sv" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    catalogue = Catalog(locale="sv")
    for english, swedish in SWEDISH.items():
        catalogue.add(english, swedish)
    catalogue.add(DRAFTS_LEFT_OUT, ("%(num)d utkast som aldrig skickades är utelämnat.",
                                    "%(num)d utkast som aldrig skickades är utelämnade."))
    with (folder / "messages.mo").open("wb") as handle:
        write_mo(handle, catalogue)
    application = make_app(database_url, tmp_path, WTF_CSRF_ENABLED=False,
                           BABEL_TRANSLATION_DIRECTORIES=str(tmp_path / "translations"))
    with application.app_context():
        babel.domain_instance.cache.clear()  # catalogues are kept once read, by language
        try:
            yield application
        finally:
            db.session.rollback()
            empty_tables()
            babel.domain_instance.cache.clear()
            db.engine.dispose()


def test_a_dsl_working_in_swedish_reads_the_case_and_its_checklist_in_swedish(swedish_app):
    make = Factory(swedish_app)
    school = make.school("ek", name="Ekskolan")
    dsl = make.user(school, "dsl")
    report = make.report(school, choices=("nude_shared",)).report
    client = swedish_app.test_client()
    sign_in(client, dsl)
    assert client.post("/staff/account/language", data={"language": "sv"}).status_code == 302
    case_url = client.post(f"/staff/triage/reports/{report.public_id}/open-case"
                           ).headers["Location"]
    client.post(f"{case_url}/people", data={"label": "Jordan O'Neil", "year_group": "Year 10",
                                             "role": "alleged"})
    opened = db.session.scalar(select(Case))
    reference = opened.reference
    for _ in range(2):
        db.session.add(Referral(school_id=school.id, case_id=opened.id, recipient_kind="posh",
                                state="draft", body="Half-written", created_by_id=dsl.id))
    db.session.commit()

    case = client.get(case_url).get_data(as_text=True)
    assert f"<h1>Ärende {reference}</h1>" in case
    assert 'aria-label="Ärendets delar"' in case and "Tillbaka till ärenden" in case
    assert '<h2 id="checklist-heading">Checklista för att stoppa spridningen</h2>' in case
    assert "0 klara, 0 gäller inte, " in case and " att göra" in case
    assert ">Markera som klar</button>" in case and ">Mark done<" not in case
    # A name goes into a sentence as text, never as HTML.
    assert "Roll för Jordan O&#39;Neil" in case

    checklist = client.get(f"{case_url}/checklist").get_data(as_text=True)
    assert "Markera som klar" in checklist and "0 klara, 0 gäller inte" in checklist
    printed = client.get(f"{case_url}/checklist/print").get_data(as_text=True)
    assert f"Checklista för att stoppa spridningen: ärende {reference}" in printed

    listed = client.get("/staff/triage/cases").get_data(as_text=True)
    assert "<h1>Ärenden på Ekskolan</h1>" in listed and 'data-label="Tilldelad"' in listed

    case_file = client.get(f"{case_url}/export").get_data(as_text=True)
    assert "2 utkast som aldrig skickades är utelämnade." in case_file  # Swedish plural
    audit = client.get(f"{case_url}/audit").get_data(as_text=True)
    assert f"<h1>Ärende {reference}: granskningslogg</h1>" in audit
