"""Every staff and pupil page on a phone: 320 and 360 px wide, JavaScript on and off.

WCAG 2.2 1.4.10 (Reflow): nothing may make the page scroll sideways, and nothing a keyboard
can reach may sit off the side of the screen even once it has focus (a wide table scrolls
inside its own box, whose cells come into view when focused). A screenshot of each page at
360 px is written to instance/screenshots/reflow/ for a person to look over.

Then the two things a DSL does on the phone an alert reaches: open the alert's link, sign in
and acknowledge with one tap on the first screen; and reach a report from the queue's first
screen, the filters folded behind one "Filter and search" control.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import OnlineAccount, OutboxMessage, Pupil, Report
from schoolsafe.services.cases import checklist as case_checklist
from schoolsafe.services.pupils import directory
from tests.browser.conftest import axe_check, sign_in_staff
from tests.browser.pupil import shown_code, tell
from tests.factories import PASSWORD, Factory
from tests.unit.test_case_checklist_stories import EW, sara

pytestmark = pytest.mark.slow

WIDTHS = (320, 360)
HEIGHT = 740
SCREENSHOTS = Path(__file__).resolve().parents[2] / "instance" / "screenshots" / "reflow"
# Pages whose markup changed for narrow screens: axe-core audits them as they are at 360 px.
AUDITED = {"queue-filtered", "cases", "case", "register", "admin-routing", "admin-email",
           "admin-staff", "admin-audit", "register-entry", "report-follows-earlier",
           "pupils-search", "pupil"}
JS_MODES = [pytest.param(True, id="javascript on"), pytest.param(False, id="javascript off")]

# What sticks out: the page's own width, then every focusable thing that is shown but lies
# off the left or right edge - and still does once focused (the skip link moves on focus; a
# cell of a table that scrolls in its own box is scrolled into view).
MEASURE = """() => {
  const width = document.documentElement.clientWidth;
  const out = el => { const r = el.getBoundingClientRect();
    return r.width > 0 && (r.left < -1 || r.right > width + 1); };
  const name = el => (el.tagName.toLowerCase() + ' "' +
    (el.innerText || el.value || el.name || el.id || '').trim().slice(0, 40) + '"');
  const focusable = 'a[href], button, input:not([type=hidden]), select, textarea, summary,'
    + ' [tabindex]:not([tabindex="-1"])';
  const off = [];
  for (const el of document.querySelectorAll(focusable)) {
    if (!el.checkVisibility({visibilityProperty: true}) || !out(el)) continue;
    el.focus();
    if (document.activeElement === el && out(el)) off.push(name(el));
    el.blur();
  }
  document.querySelectorAll('.table-scroll').forEach(box => { box.scrollLeft = 0; });
  window.scrollTo(0, 0);
  const wide = [...document.querySelectorAll('body *')].filter(
    el => el.getBoundingClientRect().right > width + 1 && !el.closest('.table-scroll')
      && el.checkVisibility())
    .slice(0, 3).map(el => el.outerHTML.slice(0, 60));
  return {wide: wide, scrollWidth: document.documentElement.scrollWidth, width: width, off: off};
}"""


def check_reflow(page, name: str, js: bool, problems: list[str]) -> None:
    """Measure the page as it is at each width; keep a screenshot of it at 360 px."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        found = page.evaluate(MEASURE)
        if found["scrollWidth"] > found["width"]:
            problems.append(f"{name} at {width}px: the page is {found['scrollWidth']}px wide"
                            f" ({'; '.join(found['wide'])})")
        if found["off"]:
            problems.append(f"{name} at {width}px: off the screen: {', '.join(found['off'])}")
    if not js:
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-360.png", full_page=True)


@pytest.fixture(scope="module")
def world(live_server):
    """One school for the whole module: a DSL who is also its administrator, Sara's case with
    its people, chronology, accounts and checklist, and a few reports in the queue."""
    with live_server.app.app_context():
        make = Factory(live_server.app)
        school = make.school(name="Kingsmead Academy with a long name, Birmingham")
        # One signed-in DSL per JavaScript mode: a TOTP code is refused a second time.
        dsl, other = make.user(school, "dsl"), make.user(school, "dsl")
        for lead in (dsl, other):
            make.user(school, "admin", email=lead.email)
        make.user(school, "staff")
        case = sara(school, dsl)
        case_checklist.sync(db.session, case, EW, dsl.id)
        for words in ("Someone made a page about girls in year 9", "Rumours in a group chat"):
            make.report(school, choices=("fake_profile", "rumours"), narrative=words)
        # A pupil who lost their code words: the DSL is offered the earlier reports to link.
        follows = make.report(school, narrative="It is back up", follows_earlier=True,
                              earlier_when="this_week",
                              earlier_about="the page about girls in year 9 " + "x" * 60).report
        db.session.commit()
        mai, kwame = (Pupil(school_id=school.id, upn=f"A{n}", legal_first=first,
                        legal_last="Adebayo-Clarke", preferred_first=preferred,
                        year_group="Year 8", reg_group="8A", family_id="F1",
                        date_of_birth=date(2013, 3, 4))
                  for n, first, preferred in ((1, "Maisie", "Mai"), (2, "Kwame", "")))
        db.session.add_all([mai, kwame])
        db.session.flush()
        directory.reindex(db.session, [mai, kwame])
        db.session.commit()
        report = db.session.scalar(select(Report).where(Report.case_id == case.id))
        account = db.session.scalar(select(OnlineAccount).where(
            OnlineAccount.school_id == school.id).limit(1))
        details = {"school": school.slug, "leads": {True: (dsl.email, dsl.totp_secret),
                                                    False: (other.email, other.totp_secret)},
                   "case": case.public_id, "report": report.public_id, "account": account.public_id,
                   "staff_member": dsl.public_id, "follows": follows.public_id,
                   "pupil": mai.public_id}
        db.session.remove()
    return details


def staff_pages(world, referral: str) -> list[tuple[str, str]]:
    case, triage = world["case"], "/staff/triage"
    return [
        ("queue", f"{triage}/"),
        ("queue-filtered", f"{triage}/?status=all&urgency=immediate&q=Slags"),
        ("report", f"{triage}/reports/{world['report']}"),
        ("report-follows-earlier", f"{triage}/reports/{world['follows']}"),
        ("cases", f"{triage}/cases"),
        ("case", f"{triage}/cases/{case}"),
        ("case-audit", f"{triage}/cases/{case}/audit"),
        ("case-export", f"{triage}/cases/{case}/export"),
        ("checklist", f"{triage}/cases/{case}/checklist"),
        ("checklist-print", f"{triage}/cases/{case}/checklist/print"),
        ("entry-new", f"{triage}/cases/{case}/entries/new"),
        ("referral-new", f"{triage}/cases/{case}/referrals/new"),
        ("referral-draft", f"{triage}/referrals/{referral}"),
        ("referral-print", f"{triage}/referrals/{referral}/print"),
        ("pupils", f"{triage}/pupils"),
        ("pupils-search", f"{triage}/pupils?q=mai+adebayo+clarke"),
        ("pupil", f"{triage}/pupils/{world['pupil']}"),
        ("pupil-print", f"{triage}/pupils/{world['pupil']}/print"),
        ("pupils-import", f"{triage}/pupils/import"),
        ("register", "/staff/register/"),
        ("register-entry", f"/staff/register/entries/{world['account']}"),
        ("insight", "/staff/insight/"),
        ("concerns", "/staff/concerns/"),
        ("concern-new", "/staff/concerns/new"),
        ("account", "/staff/account"),
        ("admin", "/staff/admin/"),
        ("admin-routing", "/staff/admin/routing"),
        ("admin-hours", "/staff/admin/hours"),
        ("admin-languages", "/staff/admin/languages"),
        ("admin-email", "/staff/admin/email"),
        ("admin-staff", "/staff/admin/staff"),
        ("admin-staff-member", f"/staff/admin/staff/{world['staff_member']}"),
        ("admin-staff-new", "/staff/admin/staff/new"),
        ("admin-audit", "/staff/admin/audit"),
        ("admin-sign-in", "/staff/admin/sign-in"),
    ]


def sign_in_checked(page, world, js: bool, problems: list[str]) -> None:
    """Sign in through the real pages, checking the sign-in and two-factor pages on the way."""
    page.goto("/staff/sign-in")
    check_reflow(page, "sign-in", js, problems)
    email, totp = world["leads"][js]
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("Code from your authenticator app")).to_be_visible()
    check_reflow(page, "two-factor", js, problems)
    page.get_by_label("Code from your authenticator app").fill(
        pyotp.TOTP(totp).now())
    page.get_by_role("button", name="Continue").click()


def a_referral(page, world) -> str:
    """A POSH note drafted through the page, as a DSL would."""
    page.goto(f"/staff/triage/cases/{world['case']}/referrals/new")
    page.get_by_label("Professionals Online Safety Helpline (POSH)").check()
    page.get_by_role("button", name="Draft the note").click()
    expect(page.get_by_role("heading", name="Check before sending")).to_be_visible()
    return page.url.rstrip("/").rsplit("/", 1)[-1]


@pytest.mark.parametrize("js", JS_MODES)
def test_every_page_reflows_at_320_and_360_px(new_page, world, js):
    problems: list[str] = []
    pupil = new_page(js=js, width=360, height=HEIGHT)
    for name, path in (("pupil-landing", "/"), ("pupil-form", f"/tell/{world['school']}")):
        pupil.goto(path)
        check_reflow(pupil, name, js, problems)
    tell(pupil, world["school"], choices=("A fake account",),
         words="They made a page about me with a very long name " + "x" * 60)
    check_reflow(pupil, "pupil-confirmation", js, problems)
    code = shown_code(pupil)
    pupil.goto("/follow-up")
    check_reflow(pupil, "pupil-follow-up", js, problems)
    pupil.get_by_label("Your code words").fill(code)
    pupil.get_by_role("button", name="Show my messages").click()
    expect(pupil.get_by_label("Add something or reply")).to_be_visible()
    check_reflow(pupil, "pupil-thread", js, problems)
    pupil.reload()  # the messages page sent again: it has closed
    expect(pupil.get_by_role("heading", name="This page has closed")).to_be_visible()
    check_reflow(pupil, "pupil-page-gone", js, problems)

    staff = new_page(js=js, width=360, height=HEIGHT)
    sign_in_checked(staff, world, js, problems)
    referral = a_referral(staff, world)
    for name, path in staff_pages(world, referral):
        response = staff.goto(path)
        assert response.status == 200, f"{name}: {path} answered {response.status}"
        check_reflow(staff, name, js, problems)
        if js and name in AUDITED:
            axe_check(staff)
    assert not problems, "Pages that do not reflow:\n" + "\n".join(problems)


def on_first_screen(locator) -> bool:
    """Whether the element is wholly inside the viewport as the page first opens."""
    box = locator.bounding_box()
    size = locator.page.viewport_size
    return (box is not None and box["x"] >= 0 and box["x"] + box["width"] <= size["width"]
            and box["y"] >= 0 and box["y"] + box["height"] <= size["height"])


def sign_in_on(page, email: str, totp: str) -> None:
    """The sign-in pages as reached from a link: password, code, then where the link pointed."""
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(totp).now())
    page.get_by_role("button", name="Continue").click()


@pytest.mark.parametrize("js", JS_MODES)
def test_from_the_alert_email_to_an_acknowledged_report_in_one_tap(new_page, live_make, js):
    school = live_make.school(name="Kingsmead Academy")
    dsl = live_make.user(school, "dsl")
    email, totp = dsl.email, dsl.totp_secret
    pupil = new_page(js=js, width=360, height=HEIGHT)
    tell(pupil, school.slug, choices=("Someone shared a nude",),
         questions=("Threats, or asking for money",),
         words="A boy in my year says he will post my picture tonight.")
    db.session.remove()
    alert = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.school_id == school.id, OutboxMessage.report_id.is_not(None)))
    link = re.search(r"^http\S+$", alert.body, re.M).group(0)

    phone = new_page(js=js, width=360, height=HEIGHT)
    phone.goto(link)
    sign_in_on(phone, email, totp)
    assert phone.url == link
    assert phone.evaluate("() => window.scrollY") == 0
    acknowledge = phone.get_by_role("button", name="Acknowledge")
    for shown in (phone.locator(".badge").first, phone.get_by_text("What happened"),
                  phone.get_by_text("Someone shared or showed a nude"), acknowledge):
        assert on_first_screen(shown), f"{shown} is not on the first screen at 360 x 740"
    acknowledge.click()
    expect(phone.get_by_text("Acknowledged. Alerts for this report have stopped.")).to_be_visible()
    expect(phone.locator(".nav-count")).to_have_text(re.compile(r"^0 new"))
    axe_check(phone)


@pytest.mark.parametrize("js", JS_MODES)
def test_from_the_queues_first_screen_to_a_report_past_folded_filters(new_page, live_make, js):
    school = live_make.school(name="Kingsmead Academy")
    dsl = live_make.user(school, "dsl")
    live_make.report(school, choices=("fake_profile",), narrative="A fake account of me")
    live_make.report(school, choices=("rumours",), factors=frozenset({"threats"}))
    phone = new_page(js=js, width=360, height=HEIGHT)
    sign_in_staff(phone, dsl.email, dsl.totp_secret)
    phone.goto("/staff/triage/")

    expect(phone.get_by_text("Filter and search")).to_be_visible()
    expect(phone.get_by_label("Category")).to_be_hidden()
    first = phone.get_by_role("link", name="Open report").first
    assert on_first_screen(first), "the first report is not on the queue's first screen"
    expect(phone.locator(".nav-count")).to_have_text(re.compile("2 new"))
    assert on_first_screen(phone.locator(".nav-count"))
    axe_check(phone)

    first.click()
    expect(phone.get_by_role("button", name="Acknowledge")).to_be_visible()
    phone.goto("/staff/triage/")
    phone.get_by_text("Filter and search").click()
    phone.get_by_label("Urgency").select_option("high")
    phone.get_by_role("button", name="Show reports").click()
    # The field already read "high" before the click: wait for the filtered page itself.
    phone.wait_for_url(re.compile(r"urgency=high"))
    phone.wait_for_load_state("load")
    # While a filter is in use it stays in view, so it can be seen and changed.
    expect(phone.get_by_label("Urgency")).to_have_value("high")
    expect(phone.get_by_label("Category")).to_be_visible()
    axe_check(phone)

    # On a phone the other links are one tap away in the menu; on a wide screen, in a row.
    staff_nav = phone.get_by_role("navigation", name="Staff")
    expect(staff_nav.get_by_role("link", name="Cases")).to_be_hidden()
    staff_nav.get_by_text("Menu").click()
    expect(staff_nav.get_by_role("link", name="Cases")).to_be_visible()
    phone.set_viewport_size({"width": 1024, "height": HEIGHT})
    phone.reload()
    expect(staff_nav.get_by_text("Menu")).to_be_hidden()
    expect(staff_nav.get_by_role("link", name="Cases")).to_be_visible()
    expect(staff_nav.get_by_role("button", name="Sign out")).to_be_visible()
