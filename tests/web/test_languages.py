"""Choosing the language: a school's default and offered languages, a pupil's switch links
carried in the address through every page and form, staff's own choice, and the browser's
Accept-Language only when nothing else says."""

from __future__ import annotations

import re

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from sqlalchemy import select

from schoolsafe.extensions import babel, db
from schoolsafe.models import AuditEvent
from tests.conftest import empty_tables, make_app
from tests.factories import Factory, sign_in
from tests.support.pack_overlays import use_packs, write_packs

PUPIL = {"environ_base": {"REMOTE_ADDR": "192.0.2.10"}}
WELSH_SCHOOL = {"language": "cy", "languages": ["en", "cy"]}


def lang_of(page: str) -> str:
    return re.search(r'<html lang="([^"]+)"', page).group(1)


def alternates(page: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', page))


def switch_links(page: str) -> list[tuple[str, str]]:
    """(address, language) of each switch: a link, or on a page with a form, its button."""
    nav = re.search(r'<nav class="languages".*?</nav>', page, re.S)
    found = re.finditer(r'<a href="([^"]+)" lang="[^"]+" hreflang="([^"]+)"'
                        r'|name="switch_language" value="([^"]+)" formaction="([^"]+)"',
                        nav.group(0)) if nav else []
    return [(m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
            for m in found]


def form_actions(page: str) -> list[str]:
    # Form addresses only: a language button's formaction is the other language's.
    return [action.replace("&amp;", "&")
            for action in re.findall(r'(?<!form)action="([^"]+)"', page)]


def test_a_school_page_opens_in_the_school_language_with_a_link_to_each_it_offers(client, make):
    make.school("oak", **WELSH_SCHOOL)
    page = client.get("/tell/oak", **PUPIL).get_data(as_text=True)
    assert lang_of(page) == "cy"
    assert [lang for _href, lang in switch_links(page)] == ["en", "cy"]
    assert alternates(page) == {"en": "http://localhost/tell/oak?lang=en",
                                "cy": "http://localhost/tell/oak?lang=cy"}
    assert 'lang="cy" hreflang="cy" aria-current="true">Cymraeg</a>' in page


def test_the_alternates_name_our_own_address_whatever_host_a_request_brings(client, make):
    make.school("oak", **WELSH_SCHOOL)
    client.application.config["SERVER_NAME"] = None  # as in production, behind the proxy
    forged = client.get("/tell/oak", headers={"Host": "evil.example"}, **PUPIL)
    assert "evil.example" not in forged.get_data(as_text=True)
    page = client.get("/tell/oak", **PUPIL).get_data(as_text=True)
    assert "evil.example" not in page
    assert alternates(page)["cy"] == "http://localhost/tell/oak?lang=cy"
    assert ("/tell/oak?lang=cy", "cy") in switch_links(page)


def test_a_pupil_switches_with_a_plain_link_and_keeps_the_language_in_every_form(client, make):
    make.school("oak", **WELSH_SCHOOL)
    page = client.get("/tell/oak?lang=en", **PUPIL)
    html = page.get_data(as_text=True)
    assert lang_of(html) == "en"
    assert all("lang=en" in action for action in form_actions(html))
    # A form sent with a problem comes back in the same language, still carrying it.
    again = client.post("/tell/oak?lang=en", data={"about": "self", "choices": ["rumours"],
                                                   "reporter_name": "y" * 5000}, **PUPIL)
    assert again.status_code == 400
    assert lang_of(again.get_data(as_text=True)) == "en"
    assert all("lang=en" in action for action in form_actions(again.get_data(as_text=True)))
    sent = client.post("/tell/oak?lang=en", data={"about": "self", "choices": ["rumours"]},
                       **PUPIL).get_data(as_text=True)
    assert lang_of(sent) == "en"
    assert "/follow-up?lang=en" in sent and 'href="/?lang=en"' in sent
    # Nothing remembers the choice on a shared device: the next visit opens in the school's.
    assert lang_of(client.get("/tell/oak", **PUPIL).get_data(as_text=True)) == "cy"


def test_a_language_the_school_does_not_offer_falls_back_to_its_own(client, make):
    make.school("oak", **WELSH_SCHOOL)
    page = client.get("/tell/oak?lang=sv", **PUPIL).get_data(as_text=True)
    assert lang_of(page) == "cy"
    assert "lang=sv" not in page


def test_the_follow_up_flow_keeps_the_language(client, make):
    make.school("oak", **WELSH_SCHOOL)
    sent = client.post("/tell/oak?lang=en", data={"about": "self", "choices": ["rumours"]},
                       **PUPIL).get_data(as_text=True)
    code = re.search(r'<p class="code" id="code">([^<]+)</p>', sent).group(1)
    asked = client.get("/follow-up?lang=en", **PUPIL).get_data(as_text=True)
    assert lang_of(asked) == "en" and "/follow-up?lang=en" in form_actions(asked)
    thread = client.post("/follow-up?lang=en", data={"code": code}, **PUPIL).get_data(
        as_text=True)
    assert lang_of(thread) == "en"
    assert all("lang=en" in action for action in form_actions(thread))
    # Without a choice, the thread is in the school's own language.
    plain = client.post("/follow-up", data={"code": code}, **PUPIL).get_data(as_text=True)
    assert lang_of(plain) == "cy"


def test_a_pupil_error_page_keeps_the_language(client, make):
    make.school("oak", **WELSH_SCHOOL)
    page = client.get("/tell/no-such-school?lang=cy", **PUPIL)
    assert page.status_code == 404
    html = page.get_data(as_text=True)
    assert lang_of(html) == "cy"
    assert 'href="/?lang=cy"' in html


def test_accept_language_counts_only_when_nothing_else_says(client, make):
    make.school("oak", **WELSH_SCHOOL)
    welsh_browser = {"Accept-Language": "fr;q=0.9, en;q=0.5"}
    # The start page, before any school is known: the browser decides.
    assert lang_of(client.get("/", headers=welsh_browser, **PUPIL).get_data(as_text=True)) == "fr"
    assert lang_of(client.get("/", **PUPIL).get_data(as_text=True)) == "en"
    # The school's default says more than the browser, and the pupil's own choice more still.
    school_page = client.get("/tell/oak", headers=welsh_browser, **PUPIL).get_data(as_text=True)
    assert lang_of(school_page) == "cy"
    chosen = client.get("/?lang=sv", headers=welsh_browser, **PUPIL).get_data(as_text=True)
    assert lang_of(chosen) == "sv"


def test_an_admin_sets_the_school_languages_and_the_change_is_audited(client, make, tmp_path,
                                                                       monkeypatch):
    # Offered only where the school's pack is written in them: here England's, in three.
    use_packs(client.application, monkeypatch,
              write_packs(tmp_path / "packs", {"england-wales": ["en", "cy", "nl"]}))
    school = make.school("oak")
    admin = make.user(school, "admin")
    sign_in(client, admin)
    page = client.get("/staff/admin/languages").get_data(as_text=True)
    assert "Languages pupils can switch to" in page
    refused = client.post("/staff/admin/languages", data={"language": "cy", "languages": ["en"]})
    assert refused.status_code == 400
    assert "The language pages open in must be one pupils can use." in refused.get_data(
        as_text=True)
    db.session.refresh(school)
    assert (school.language, school.languages) == ("en", ["en", "cy", "nl"])  # the pack's

    saved = client.post("/staff/admin/languages", data={"language": "cy",
                                                        "languages": ["cy", "en", "nl"]})
    assert saved.status_code == 302
    db.session.refresh(school)
    assert (school.language, school.languages) == ("cy", ["en", "cy", "nl"])
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "languages_changed"))
    assert (event.user_id, event.record_id) == (admin.id, str(school.id))
    pupil = client.application.test_client().get("/tell/oak", **PUPIL).get_data(as_text=True)
    assert lang_of(pupil) == "cy" and set(alternates(pupil)) == {"en", "cy", "nl"}


def test_staff_choose_their_language_on_their_account_page(client, make):
    school = make.school("oak", **WELSH_SCHOOL)
    dsl = make.user(school, "dsl")
    sign_in(client, dsl)
    # Until they choose, staff pages are in their school's language, with no switch links.
    account = client.get("/staff/account").get_data(as_text=True)
    assert lang_of(account) == "cy" and alternates(account) == {}
    assert client.post("/staff/account/language", data={"language": "sv"}).status_code == 302
    db.session.refresh(dsl)
    assert dsl.language == "sv"
    assert lang_of(client.get("/staff/account").get_data(as_text=True)) == "sv"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "language_chosen"))
    client.post("/staff/account/language", data={"language": "xx"})
    db.session.refresh(dsl)
    assert dsl.language == "sv"
    client.post("/staff/account/language", data={"language": ""})
    assert lang_of(client.get("/staff/account").get_data(as_text=True)) == "cy"


# A few Welsh strings stand in for the real catalogue while it is being translated.
WELSH = {"Language": "Iaith", "Tell %(school)s": "Dweud wrth %(school)s",
         "Who is this about?": "Am bwy mae hyn?",
         "Please choose who this is about.": "Dewis am bwy mae hyn.",
         "Page not found": "Heb ddod o hyd i'r dudalen"}
WELSH_LIMIT = ("Please keep this under %(num)d character.",
               "Please keep this under %(num)d characters.")


def welsh_app(database_url, tmp_path):
    folder = tmp_path / "translations" / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    catalogue = Catalog(locale="cy")
    for english, welsh in WELSH.items():
        catalogue.add(english, welsh)
    catalogue.add(WELSH_LIMIT, tuple(f"Dim mwy na %(num)d nod ({form})" for form in range(6)))
    with (folder / "messages.mo").open("wb") as handle:
        write_mo(handle, catalogue)
    return make_app(database_url, tmp_path, WTF_CSRF_ENABLED=False,
                    BABEL_TRANSLATION_DIRECTORIES=str(tmp_path / "translations"))


def test_pupil_pages_in_welsh_read_the_welsh_catalogue(database_url, tmp_path):
    application = welsh_app(database_url, tmp_path)
    with application.app_context():
        babel.domain_instance.cache.clear()  # catalogues are kept once read, by language
        try:
            Factory(application).school("oak", name="Ysgol Derw", **WELSH_SCHOOL)
            pupil = application.test_client()
            page = pupil.get("/tell/oak", **PUPIL).get_data(as_text=True)
            assert 'aria-label="Iaith"' in page and "<h1>Dweud wrth Ysgol Derw</h1>" in page
            assert "Am bwy mae hyn?" in page
            sent = pupil.post("/tell/oak", data={"reporter_name": "y" * 5000}, **PUPIL)
            problem = sent.get_data(as_text=True)
            assert "Dewis am bwy mae hyn." in problem
            assert "Dim mwy na 100 nod (5)" in problem  # Welsh's "other" form, for 100
            missing = pupil.get("/tell/nowhere?lang=cy", **PUPIL).get_data(as_text=True)
            assert "Heb ddod o hyd i&#39;r dudalen" in missing
            english = pupil.get("/tell/oak?lang=en", **PUPIL).get_data(as_text=True)
            assert 'aria-label="Language"' in english and "<h1>Tell Ysgol Derw</h1>" in english
        finally:
            db.session.rollback()
            empty_tables()
            babel.domain_instance.cache.clear()
            db.engine.dispose()
