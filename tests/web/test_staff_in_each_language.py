"""A DSL at a school working in Welsh, Dutch, French, Swedish or Spanish reads the queue, a
report, a case, its checklist and a referral draft in that language, and the alert email about
the report too - with no block of English left but names, numbers and what people typed.

Each language's school uses the jurisdiction pack written in it (Wales, Belgium, Sweden, the
United States), so its checklist steps and referral bodies are in the language as well. The
English to compare with is a twin school under the same pack working in English, where the
same pupil's report is worked through the same pages: a block the two share word for word is
English left untranslated (names of services, the school's, numbers and typed words aside). A
word that is the same in both languages (Swedish "Status") is listed in SAME_WORD.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import Case, OutboxMessage, Report
from schoolsafe.services.accounts.canonical import PLATFORMS
from schoolsafe.vocab import Language, Role
from scripts.check_translations import LANGUAGES_NOT_YET_SHIPPED
from tests.factories import sign_in
from tests.visible_text import NotWords, text_blocks, untranslated

PACK_FOR = {"cy": "wales", "nl": "belgium", "fr": "belgium", "sv": "sweden",
            "es": "united-states"}
# Words spelled the same in English and in the language, as its speakers write them.
SAME_WORD = {"cy": ["Staff"], "nl": ["Menu", "Register", "Status", "Open", "Online accounts"],
             "fr": ["Menu", "Note"], "sv": ["Register", "Status"], "es": []}
SCHOOL = "Ekskolan"
TYPED = "They made a page about us."
PLACE = "@year9_rates"
DSL_NAME = "Alex Lind"
LINK = re.compile(r"^https?://\S+$")


def _shipping(code: str):
    if code in LANGUAGES_NOT_YET_SHIPPED:
        return pytest.param(code, marks=pytest.mark.xfail(
            strict=True, reason=f"{code} is not yet shipped (LANGUAGES_NOT_YET_SHIPPED)"))
    return code


def work_a_report(app, make, slug: str, pack: str, language: str):
    """A pupil tells a school in `language`; its DSL opens a case and drafts a police note.
    The staff pages on the way, as text blocks by name, and the alert email's lines."""
    school = make.school(slug, name=SCHOOL, jurisdiction=pack, language=language,
                         languages=sorted({"en", language}))
    dsl = make.user(school, Role.DSL)
    dsl.name = DSL_NAME
    db.session.commit()
    told = app.test_client().post(f"/tell/{slug}?lang={language}", data={
        "about": "self", "choices": ["asked_for_nudes"], "threats": "y", "narrative": TYPED,
        "place1-platform": "instagram", "place1-text": PLACE})
    assert told.status_code == 200
    report = db.session.scalar(select(Report).where(Report.school_id == school.id))
    [email] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.school_id == school.id))
    client = app.test_client()
    sign_in(client, dsl)
    case_url = client.post(f"/staff/triage/reports/{report.public_id}/open-case"
                           ).headers["Location"]
    referral_url = client.post(f"{case_url}/referrals", data={"kind": "police"}
                               ).headers["Location"]
    paths = {"queue": "/staff/triage/", "report": f"/staff/triage/reports/{report.public_id}",
             "case": case_url, "checklist": f"{case_url}/checklist",
             "referral draft": referral_url}
    pages = {}
    for name, path in paths.items():
        response = client.get(path)
        assert response.status_code == 200, (name, response.status_code)
        pages[name] = text_blocks(response.get_data(as_text=True))
    lines = [line.strip() for line in [email.subject, *email.body.splitlines()] if line.strip()]
    return pages, lines, school


def names_and_numbers(app, pack_code: str, school_id: int, language: str) -> NotWords:
    pack = app.extensions["jurisdictions"][pack_code].in_language(language)
    contacts = [pack.crisis_line, *(c for s in pack.help.values() for c in s.contacts)]
    case = db.session.scalar(select(Case).where(Case.school_id == school_id))
    return NotWords.of([SCHOOL, TYPED, PLACE, DSL_NAME, case.reference, pack.emergency_number,
                        pack.non_emergency_police, "schoolsafe", "CEOP"],
                       [text for c in contacts for text in (c.name, c.phone, c.url)],
                       PLATFORMS.values(), Language.labels().values(),
                       SAME_WORD[language], words=SAME_WORD[language])


@pytest.mark.parametrize("language", [_shipping(code) for code in PACK_FOR])
def test_a_dsl_works_a_report_in_the_schools_language(app, make, language):
    pack = PACK_FOR[language]
    local, local_email, school = work_a_report(app, make, "ek", pack, language)
    english, english_email, _ = work_a_report(app, make, "oak", pack, "en")
    allowed = names_and_numbers(app, pack, school.id, language)
    left = {name: untranslated(blocks, english[name], allowed)
            for name, blocks in local.items()}
    left_in_email = [line for line in local_email if line in english_email
                     and not LINK.match(line) and not allowed.allows(line)]
    assert ({name: blocks for name, blocks in left.items() if blocks}, left_in_email) == ({}, [])
