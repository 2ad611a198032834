"""A DSL at a school working in Welsh, Dutch, French, Swedish or Spanish reads the queue, a
report, a case, its checklist and a referral draft in that language, and the alert email about
the report too - with no block of English left but names, numbers and what people typed.

Each language's school uses the jurisdiction pack written in it (Wales, Belgium, Sweden, the
United States), so the pack's checklist steps and referral bodies are in the language as well.
The English to compare with is the same school's pages read by a colleague who chose English.
A language still being translated (LANGUAGES_NOT_YET_SHIPPED) is expected to fail, strictly.
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
SCHOOL = "Ekskolan"
TYPED = "They made a page about us."
PLACE = "@year9_rates"
DSL_NAME = "Alex Lind"


def _shipping(code: str):
    if code in LANGUAGES_NOT_YET_SHIPPED:
        return pytest.param(code, marks=pytest.mark.xfail(
            strict=True, reason=f"{code} is not yet shipped (LANGUAGES_NOT_YET_SHIPPED)"))
    return code


def pages_read_by(client, report_id: str, case_url: str, referral_url: str) -> dict:
    """The staff pages a DSL works a report through, as text blocks, by name."""
    paths = {"queue": "/staff/triage/", "report": f"/staff/triage/reports/{report_id}",
             "case": case_url, "checklist": f"{case_url}/checklist",
             "referral draft": referral_url}
    pages = {}
    for name, path in paths.items():
        response = client.get(path)
        assert response.status_code == 200, (name, response.status_code)
        pages[name] = text_blocks(response.get_data(as_text=True))
    return pages


def not_words(app, pack_code: str, report, case_reference: str) -> NotWords:
    pack = app.extensions["jurisdictions"][pack_code]
    recipients = [r.name for r in pack.recipients.values()]
    return NotWords.of([SCHOOL, TYPED, PLACE, DSL_NAME, report.public_id, pack.emergency_number,
                        "schoolsafe"], recipients, PLATFORMS.values(),
                       Language.labels().values(), [case_reference])


@pytest.mark.parametrize("language", [_shipping(code) for code in PACK_FOR])
def test_a_dsl_works_a_report_in_the_schools_language(app, client, make, language):
    pack = PACK_FOR[language]
    school = make.school("ek", name=SCHOOL, jurisdiction=pack, language=language,
                         languages=["en", language])
    dsl = make.user(school, Role.DSL)
    dsl.name = DSL_NAME
    colleague = make.user(school, Role.DSL)
    colleague.name, colleague.language = DSL_NAME, "en"
    db.session.commit()
    pupil = client.application.test_client()
    told = pupil.post(f"/tell/ek?lang={language}", data={
        "about": "self", "choices": ["asked_for_nudes"], "threats": "y", "narrative": TYPED,
        "place1-platform": "instagram", "place1-text": PLACE})
    assert told.status_code == 200
    report = db.session.scalar(select(Report).where(Report.school_id == school.id))

    # The alert email to the DSL, in the school's language, against the colleague's English.
    emails = {message.to_addresses: message for message in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.school_id == school.id))}
    local_email, english_email = emails[dsl.email], emails[colleague.email]
    assert local_email.subject != english_email.subject
    lines = [line.strip() for line in local_email.body.splitlines() if line.strip()]
    english_lines = [line.strip() for line in english_email.body.splitlines() if line.strip()]
    skip = NotWords.of([SCHOOL, "schoolsafe"], words=())
    left_in_email = [line for line in lines if line in english_lines and not
                     re.match(r"^https?://\S+$", line) and not skip.allows(line)]

    sign_in(client, dsl)
    case_url = client.post(f"/staff/triage/reports/{report.public_id}/open-case"
                           ).headers["Location"]
    referral_url = client.post(f"{case_url}/referrals", data={"kind": "police"}
                               ).headers["Location"]
    local = pages_read_by(client, report.public_id, case_url, referral_url)
    english_client = client.application.test_client()
    sign_in(english_client, colleague)
    english = pages_read_by(english_client, report.public_id, case_url, referral_url)

    case = db.session.scalar(select(Case).where(Case.school_id == school.id))
    allowed = not_words(app, pack, report, case.reference)
    left = {name: untranslated(blocks, english[name], allowed)
            for name, blocks in local.items()}
    assert ({name: blocks for name, blocks in left.items() if blocks}, left_in_email) == ({}, [])
