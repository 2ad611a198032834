"""Staff pages' words made in Python - flash messages, form labels and choices, validator
messages, the queue's dates - come out in the member of staff's language."""

from __future__ import annotations

from datetime import UTC, datetime

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from schoolsafe.extensions import babel, db
from tests.conftest import empty_tables, make_app
from tests.factories import Factory, sign_in

# A few Swedish strings, as the catalogue will hold them.
SWEDISH = {
    "Your language is saved.": "Ditt språk är sparat.",
    "Show my pages in": "Visa mina sidor på",
    "My school's language": "Min skolas språk",
    "Not said": "Inte sagt",
    "High": "Hög",
    "New": "Ny",
    "Every report": "Varje anmälan",
    "Monday": "måndag",
    "Which reports": "Vilka anmälningar",
    "Enter your password.": "Skriv ditt lösenord.",
}


def swedish_app(database_url, tmp_path):
    folder = tmp_path / "translations" / "sv" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    catalogue = Catalog(locale="sv")
    for english, swedish in SWEDISH.items():
        catalogue.add(english, swedish)
    with (folder / "messages.mo").open("wb") as handle:
        write_mo(handle, catalogue)
    return make_app(database_url, tmp_path, WTF_CSRF_ENABLED=False,
                    BABEL_TRANSLATION_DIRECTORIES=str(tmp_path / "translations"))


def test_a_member_of_staff_reading_swedish_gets_flash_labels_choices_and_dates_in_swedish(
        database_url, tmp_path):
    application = swedish_app(database_url, tmp_path)
    with application.app_context():
        babel.domain_instance.cache.clear()  # catalogues are kept once read, by language
        try:
            make = Factory(application)
            school = make.school("oak", name="Oak Academy")
            dsl = make.user(school, "dsl")
            admin = make.user(school, "admin")
            sent = make.report(school, factors=frozenset({"threats"}))
            sent.report.received_at = datetime(2026, 10, 5, 9, 30, tzinfo=UTC)
            db.session.commit()
            staff = application.test_client()
            sign_in(staff, dsl)
            account = staff.get("/staff/account").get_data(as_text=True)
            assert "Show my pages in" in account and "My school&#39;s language" in account
            saved = staff.post("/staff/account/language", data={"language": "sv"},
                               follow_redirects=True).get_data(as_text=True)
            assert "Ditt språk är sparat." in saved
            assert "Visa mina sidor på" in saved and "Min skolas språk" in saved
            queue = staff.get("/staff/triage/").get_data(as_text=True)
            # The month from Babel's Swedish names, the urgency and "not said" from the catalogue.
            assert "05 okt. 2026" in queue and "Hög" in queue
            db.session.get(type(admin), admin.id).language = "sv"
            db.session.commit()
            admin_client = application.test_client()
            sign_in(admin_client, admin)
            routing = admin_client.get("/staff/admin/routing").get_data(as_text=True)
            assert "Vilka anmälningar" in routing and "Varje anmälan" in routing
            hours = admin_client.get("/staff/admin/hours").get_data(as_text=True)
            assert "måndag" in hours
            # Signed out, the sign-in page follows the school's language (English here).
            refused = application.test_client().post("/staff/sign-in",
                                                     data={"email": dsl.email})
            assert "Enter your password." in refused.get_data(as_text=True)
        finally:
            db.session.rollback()
            empty_tables()
