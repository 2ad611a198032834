"""The DSL's workspace in the DSL's own language: the words of the queue, a report, a case's
referral, safety-plan and entry pages, the pupil directory and the transfer pages come out of
the catalogue, counts in the plural form of their number; and no word on those pages is left
unmarked for the translators."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from schoolsafe.extensions import babel, db
from scripts.unmarked_text import TEMPLATES, unmarked_in
from tests.conftest import empty_tables, make_app
from tests.factories import Factory, sign_in

# A few Swedish strings stand in for the real catalogue while it is being translated.
SWEDISH = {
    "Filter and search": "Filtrera och sök",
    "Urgency": "Brådska",
    "Report received %(date)s at %(time)s": "Anmälan mottagen %(date)s kl. %(time)s",
    "Acknowledge - I'm dealing with this": "Kvittera – jag tar hand om det här",
    "The pupil themselves": "Eleven själv",
    "Import the pupil list": "Importera elevlistan",
    "Who is it for?": "Vem är den till?",
    "Safety and support plans: case %(reference)s": "Trygghetsplaner: ärende %(reference)s",
    "What is this?": "Vad är det här?",
    "Pupils' files from other schools": "Elevakter från andra skolor",
    "My tasks": "Mina uppgifter",
}
SWEDISH_PLURAL = {
    ("<strong>%(num)d</strong> not yet acknowledged",
     "<strong>%(num)d</strong> not yet acknowledged"): (
        "<strong>%(num)d</strong> ej kvitterad", "<strong>%(num)d</strong> ej kvitterade"),
}

# The pages whose words this marks (the case page, its audit trail, the checklist and the
# case file are marked with the case pages; the shared _partials with them).
MARKED = ["entry_form", "my_tasks", "pupil", "pupil_print", "pupils", "pupils_import",
          "pupils_imported", "pupils_preview", "queue", "received_file", "referral",
          "referral_macros", "referral_new", "referral_print", "report", "safety_plan",
          "safety_plan_print", "transfer_file", "transfer_form", "transfers"]


@pytest.mark.parametrize("name", MARKED)
def test_every_word_on_the_triage_page_is_marked_for_translation(name):
    assert unmarked_in(TEMPLATES / "triage" / f"{name}.html") == []


def swedish_app(database_url, tmp_path: Path):
    folder = tmp_path / "translations" / "sv" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    catalogue = Catalog(locale="sv")
    for english, swedish in SWEDISH.items():
        catalogue.add(english, swedish)
    for english, swedish in SWEDISH_PLURAL.items():
        catalogue.add(english, swedish)
    with (folder / "messages.mo").open("wb") as handle:
        write_mo(handle, catalogue)
    return make_app(database_url, tmp_path, WTF_CSRF_ENABLED=False,
                    BABEL_TRANSLATION_DIRECTORIES=str(tmp_path / "translations"))


def test_a_dsl_who_reads_swedish_works_the_queue_report_and_case_in_swedish(database_url,
                                                                             tmp_path):
    application = swedish_app(database_url, tmp_path)
    with application.app_context():
        babel.domain_instance.cache.clear()  # catalogues are kept once read, by language
        try:
            make = Factory(application)
            school = make.school("ek", name="Ekskolan")
            dsl = make.user(school, "dsl")
            dsl.language = "sv"
            db.session.commit()
            report = make.report(school).report
            client = application.test_client()
            sign_in(client, dsl)

            queue = client.get("/staff/triage/").get_data(as_text=True)
            assert "Filtrera och sök" in queue and "Filter and search" not in queue
            assert "<strong>1</strong> ej kvitterad<" in queue  # the singular form, for 1
            assert 'data-label="Brådska"' in queue  # the label a phone shows in each row

            page = client.get(f"/staff/triage/reports/{report.public_id}")
            text = page.get_data(as_text=True)
            assert "<h1>Anmälan mottagen " in text and " kl. " in text
            assert "Kvittera – jag tar hand om det här" in text and "Eleven själv" in text

            case_url = client.post(
                f"/staff/triage/reports/{report.public_id}/open-case").headers["Location"]
            referral = client.get(f"{case_url}/referrals/new").get_data(as_text=True)
            assert "<legend>Vem är den till?</legend>" in referral
            plans = client.get(f"{case_url}/plan").get_data(as_text=True)
            assert "<h1>Trygghetsplaner: ärende " in plans
            entry = client.get(f"{case_url}/entries/new").get_data(as_text=True)
            assert "Vad är det här?" in entry

            pupils = client.get("/staff/triage/pupils").get_data(as_text=True)
            assert "Importera elevlistan" in pupils
            transfers = client.get("/staff/triage/transfers").get_data(as_text=True)
            assert "<h1>Elevakter från andra skolor</h1>" in transfers
            tasks = client.get("/staff/triage/tasks").get_data(as_text=True)
            assert "<h1>Mina uppgifter</h1>" in tasks
        finally:
            db.session.rollback()
            empty_tables()
            babel.domain_instance.cache.clear()
            db.engine.dispose()
