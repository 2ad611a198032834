"""Insight: a DSL's exact figures, a trust lead's protected ones, the CSV exports and the audit.

The seeded school has known numbers (see `oak_world`), so every figure below is checked
against what was put in, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta
from html import unescape
from html.parser import HTMLParser

import pyotp
import pytest
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import (
    AuditEvent,
    Case,
    CasePerson,
    OnlineAccount,
    PlatformReport,
    Referral,
    Trust,
    TrustLead,
)
from schoolsafe.models.base import utcnow
from schoolsafe.services.register.linking import Place
from schoolsafe.services.reports.submit import ReportInput, submit
from schoolsafe.vocab import ReportSource, ReportStatus
from tests.factories import sign_in

PERIOD = {"from": "2025-01-01", "to": "2025-03-31"}
JAN, FEB, MAR = datetime(2025, 1, 10, 9), datetime(2025, 2, 10, 9), datetime(2025, 3, 10, 9)
# Words that identify pupils: none may reach a trust lead or a governors' export.
SECRETS = ("Amara Quist", "Tobias Wren", "went round the football team", "Jordan Blake",
           "Mrs Finch", "oak_bait_page")


class Tables(HTMLParser):
    """Every table on a page as {caption: [[cell text, ...], ...]}."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: str | None = None
        self._rows: list[list[str]] = []
        self._text: list[str] | None = None
        self._in_caption = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._caption, self._rows = "", []
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr":
            self._rows.append([])
        elif tag in ("td", "th"):
            self._text = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._text is not None:
            self._rows[-1].append(" ".join("".join(self._text).split()))
            self._text = None
        elif tag == "table":
            self.tables[self._caption.strip()] = self._rows

    def handle_data(self, data):
        if self._in_caption:
            self._caption += data
        elif self._text is not None:
            self._text.append(data)


def rows(html: str, caption: str) -> dict[str, list[str]]:
    """One table's rows by their first cell."""
    return {row[0]: row[1:] for row in Tables(html).tables[caption] if row}


def submitted(make, school, when: datetime, *, ack_minutes: int | None = None, returns: int = 0,
              **fields):
    report = make.report(school, **fields).report
    report.received_at = when
    if ack_minutes is not None:
        report.acknowledged_at = when + timedelta(minutes=ack_minutes)
        report.status = ReportStatus.ACKNOWLEDGED
    report.pupil_returns = returns
    db.session.commit()
    return report


@pytest.fixture
def oak_world(make):
    """Oak (in Riverside Trust with Elm) with a known quarter of reports, register and cases.

    Oak, Jan-Mar 2025: six nude-sharing reports in January from Year 9 pupils, acknowledged
    after 10-60 minutes; two coercion reports in February from Year 10 (one acknowledged
    after 2 hours, one waiting; one pupil came back with their code); one staff concern in
    March with no year that names a bait-out page. Plus one December report (outside the
    period) and two January reports at Elm.
    """
    riverside = Trust(name="Riverside Trust")
    db.session.add(riverside)
    db.session.commit()
    oak = make.school("oak", name="Oak School", trust_id=riverside.id)
    elm = make.school("elm", name="Elm School", trust_id=riverside.id)
    dsl = make.user(oak, "dsl")
    for n in range(6):
        submitted(make, oak, JAN + timedelta(days=n), ack_minutes=10 * (n + 1),
                  choices=("nude_shared",), reporter_year="9Q Mrs Finch",
                  reporter_name="Amara Quist", narrative="went round the football team")
    submitted(make, oak, FEB, ack_minutes=120, returns=2, choices=("asked_for_nudes",),
              reporter_year="Year 10", friend_name="Tobias Wren")
    submitted(make, oak, FEB + timedelta(days=3), choices=("asked_for_nudes",),
              reporter_year="yr10")
    _staff_concern(oak, dsl)
    submitted(make, oak, datetime(2024, 12, 20), choices=("rumours",))
    for n in range(2):
        submitted(make, elm, JAN + timedelta(days=n), choices=("rumours",))
    _register(oak)
    _cases(oak, dsl)
    return {"oak": oak, "elm": elm, "dsl": dsl, "trust": riverside}


def _staff_concern(oak, dsl):
    data = ReportInput(about="friend", choices=("bait_out_page",),
                       places=(Place("instagram", "@oak_bait_page"),))
    report = submit(db.session, oak, data, "key", source=ReportSource.STAFF_CONCERN,
                    logged_by_id=dsl.id).report
    report.received_at = MAR
    db.session.commit()
    return report


def _register(oak) -> None:
    page = db.session.scalar(select(OnlineAccount).where(OnlineAccount.school_id == oak.id))
    page.kind, page.first_seen, page.last_seen = "bait_out_page", MAR, MAR
    page.status, page.removed_at = "removed", MAR + timedelta(days=5)
    db.session.add(PlatformReport(account_id=page.id, reported_at=MAR + timedelta(days=1)))
    db.session.add(OnlineAccount(school_id=oak.id, platform="snapchat", canonical_key="snapchat:x",
                                 display="x", status="resurfaced", first_seen=JAN, last_seen=FEB))
    db.session.commit()


def _cases(oak, dsl) -> None:
    now = utcnow()
    fresh = Case(school_id=oak.id, reference="C-1", status="open",
                 opened_at=now - timedelta(days=10))
    old = Case(school_id=oak.id, reference="C-2", status="monitoring",
               opened_at=now - timedelta(days=100))
    done = Case(school_id=oak.id, reference="C-3", status="closed", opened_at=now)
    db.session.add_all([fresh, old, done])
    db.session.flush()
    db.session.add(CasePerson(case_id=fresh.id, label="Jordan Blake", role="alleged"))
    for kind, state, when in [("police", "sent", FEB), ("posh", "queued", MAR),
                              ("police", "draft", MAR)]:
        db.session.add(Referral(school_id=oak.id, case_id=fresh.id, recipient_kind=kind,
                                state=state, queued_at=when if state != "draft" else None,
                                created_at=when, body="Jordan Blake"))
    db.session.commit()


def trust_lead(make, trust):
    """A trust lead with no role in Oak: a member of staff at another trust school."""
    school = make.school(name="Trust Office", trust_id=trust.id)
    user = make.user(school, "staff")
    db.session.add(TrustLead(user_id=user.id, trust_id=trust.id))
    user.totp_secret, user.totp_confirmed_at = pyotp.random_base32(), utcnow()
    db.session.commit()
    return user


def insight_page(client, **args) -> str:
    response = client.get("/staff/insight/", query_string={**PERIOD, **args})
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def exported(client, **args) -> list[list[str]]:
    response = client.get("/staff/insight/export.csv", query_string={**PERIOD, **args})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_the_dsl_sees_the_seeded_numbers_exactly(client, oak_world):
    sign_in(client, oak_world["dsl"])
    page = insight_page(client)
    assert rows(page, "Reports each month: the numbers") == {
        "Month": ["Reports"], "Jan 2025": ["6"], "Feb 2025": ["2"], "Mar 2025": ["1"],
        "Whole period": ["9"]}
    happened = rows(page, "What happened: the numbers, month by month")
    assert happened["Non-consensual sharing of intimate images or videos"] == ["6", "0", "0", "6"]
    assert happened["Exploitation, coercion and threats"] == ["0", "2", "0", "2"]
    assert happened["Sexualised bullying"] == ["0", "0", "1", "1"]
    years = rows(page, "Year group the pupil gave: the numbers, month by month")
    assert years == {"Year group": ["Jan 2025", "Feb 2025", "Mar 2025", "Whole period"],
                     "Year 9": ["6", "0", "0", "6"], "Year 10": ["0", "2", "0", "2"],
                     "Not given": ["0", "0", "1", "1"]}
    told = rows(page, "Who told us: the numbers, month by month")
    assert told["Logged by staff as a concern"] == ["0", "0", "1", "1"]
    assert rows(page, "Platform named in the report: the numbers, month by month")[
        "Instagram"] == ["0", "0", "1", "1"]
    assert rows(page, "Kind of online account named: the numbers, month by month")[
        "Bait-out page"] == ["0", "0", "1", "1"]


def test_the_dsl_sees_acknowledgement_register_referrals_cases_and_follow_up(client, oak_world):
    sign_in(client, oak_world["dsl"])
    page = insight_page(client)
    # Seven acknowledged after 10, 20, 30, 40, 50, 60 and 120 minutes: the median is 40.
    assert rows(page, "Time to acknowledge: the numbers")["All reports"] == [
        "7", "40 minutes", "2 hours"]
    assert "not yet acknowledged: <strong>2</strong>" in page
    assert rows(page, "Register entries in this period: the numbers") == {
        "Change": ["Whole period"], "First seen": ["2"], "Reported to a platform": ["1"],
        "Removed": ["1"], "Came back after removal": ["1"]}
    assert rows(page, "Register entries by status today: the numbers")["Resurfaced"] == ["1"]
    referrals = rows(page, "Referrals sent, by recipient: the numbers")
    assert referrals["Police"] == ["1"]  # the draft is not a referral sent
    assert referrals["Professionals Online Safety Helpline (POSH)"] == ["1"]
    ages = rows(page, "Open cases by age today: the numbers")
    assert ages["1 to 4 weeks old"] == ["1"] and ages["More than 3 months old"] == ["1"]
    assert ages["Opened in the last week"] == ["0"]  # the closed case isn't open
    followup = rows(page, "Pupils who came back with their follow-up code")
    assert followup["Reports from pupils in this period"] == ["8"]
    assert followup["The pupil came back at least once"] == ["1"]
    assert followup["Share that came back"] == ["13%"]


def test_an_entry_reported_to_its_platform_twice_counts_once_and_only_in_its_period(
        client, oak_world):
    def entry(key: str) -> OnlineAccount:
        return db.session.scalar(select(OnlineAccount).where(
            OnlineAccount.school_id == oak_world["oak"].id, OnlineAccount.canonical_key == key))

    # The bait-out page was reported once in March already; the Snapchat entry never was.
    page_entry, other = entry("instagram:oak_bait_page"), entry("snapchat:x")
    db.session.add(PlatformReport(account_id=page_entry.id, reported_at=MAR + timedelta(days=9)))
    db.session.add(PlatformReport(account_id=other.id, reported_at=datetime(2024, 11, 5)))
    db.session.commit()
    sign_in(client, oak_world["dsl"])
    changes = rows(insight_page(client), "Register entries in this period: the numbers")
    assert changes["Reported to a platform"] == ["1"]
    changes = rows(insight_page(client, **{"from": "2024-11-01", "to": "2025-03-31"}),
                   "Register entries in this period: the numbers")
    assert changes["Reported to a platform"] == ["2"]


def test_a_narrower_period_counts_only_its_reports(client, oak_world):
    sign_in(client, oak_world["dsl"])
    page = insight_page(client, **{"from": "2024-12-01", "to": "2025-01-31"})
    assert rows(page, "Reports each month: the numbers") == {
        "Month": ["Reports"], "Dec 2024": ["1"], "Jan 2025": ["6"], "Whole period": ["7"]}


def test_charts_are_inline_svg_images_with_titles_and_no_style_attributes(client, oak_world):
    sign_in(client, oak_world["dsl"])
    page = insight_page(client)
    charts = re.findall(r"<svg[^>]*>.*?</svg>", page, flags=re.S)
    assert len(charts) >= 11
    for chart in charts:
        assert 'role="img"' in chart and "<title id=" in chart
        assert "The same numbers are in the table below." in chart
    assert "style=" not in page and "<script" not in page
    month_chart = next(c for c in charts if "Reports each month" in c)
    assert month_chart.count("<rect") == 3  # one column per month with reports


def test_the_dsl_can_preview_what_governors_see(client, oak_world):
    sign_in(client, oak_world["dsl"])
    page = insight_page(client, numbers="governors")
    assert rows(page, "Reports each month: the numbers")["Feb 2025"] == ["fewer than 5"]
    assert rows(page, "Reports each month: the numbers")["Jan 2025"] == ["6"]
    assert 'read "fewer than 5"' in page


def test_the_trust_lead_sees_the_trust_with_small_numbers_hidden_and_no_pupil(client, make,
                                                                             oak_world):
    lead = trust_lead(make, oak_world["trust"])
    sign_in(client, lead)
    page = insight_page(client)
    assert "Insight: All schools in Riverside Trust" in page
    assert '<a href="/staff/insight/">Trust insight</a>' in page  # reachable from the menu
    months = rows(page, "Reports each month: the numbers")
    assert months["Jan 2025"] == ["8"]  # six at Oak, two at Elm
    assert months["Feb 2025"] == months["Mar 2025"] == ["fewer than 5"]
    schools = rows(page, "Reports by school: the numbers")
    assert schools["Elm School"] == ["fewer than 5"]
    assert schools["Oak School"] == ["not shown"]  # or Elm's 2 would be total minus Oak's 9
    assert schools["Trust Office"] == ["0"]
    years = rows(page, "Year group the pupil gave: the numbers")
    assert set(years) == {"Year group", "Year 9", "Year 10", "Not given"}
    assert all(value in ("0", "fewer than 5", "not shown") or int(value.replace(",", "")) >= 5
               for cells in Tables(page).tables.values() for row in cells for value in row[1:]
               if value and value[0].isdigit())
    for secret in SECRETS:
        assert secret not in page


def test_the_trust_lead_can_look_at_one_school_but_never_exactly(client, make, oak_world):
    lead = trust_lead(make, oak_world["trust"])
    sign_in(client, lead)
    scope = f"school-{oak_world['oak'].id}"
    page = insight_page(client, scope=scope)
    assert rows(page, "Reports each month: the numbers")["Feb 2025"] == ["fewer than 5"]
    assert 'value="exact"' not in page
    asked_exact = insight_page(client, scope=scope, numbers="exact")
    assert rows(asked_exact, "Reports each month: the numbers")["Feb 2025"] == ["fewer than 5"]
    assert client.get("/staff/insight/export.csv", query_string={
        **PERIOD, "scope": scope, "numbers": "exact"}).status_code == 403


def test_schools_outside_the_users_reach_are_not_found(client, make, oak_world):
    other = make.school("ash", name="Ash School")
    sign_in(client, make.user(other, "dsl"))
    for scope in (f"school-{oak_world['oak'].id}", f"trust-{oak_world['trust'].id}"):
        assert client.get("/staff/insight/", query_string={"scope": scope}).status_code == 404
        assert client.get("/staff/insight/export.csv",
                          query_string={"scope": scope}).status_code == 404


def test_a_dsl_who_is_not_a_trust_lead_gets_no_trust_view(client, oak_world):
    sign_in(client, oak_world["dsl"])
    page = insight_page(client)
    assert "All schools in Riverside Trust" not in page
    scope = f"trust-{oak_world['trust'].id}"
    assert client.get("/staff/insight/", query_string={"scope": scope}).status_code == 404


def test_dates_that_cannot_be_shown_keep_what_was_typed_and_say_why(client, oak_world):
    sign_in(client, oak_world["dsl"])
    response = client.get("/staff/insight/", query_string={"from": "2025-03-01",
                                                           "to": "2025-01-01"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The start date is after the end date" in page
    assert 'value="2025-03-01"' in page and 'value="2025-01-01"' in page
    assert "Reports each month" in page  # the last twelve months are shown instead


def test_the_exact_csv_has_the_same_numbers_and_is_audited(client, oak_world):
    sign_in(client, oak_world["dsl"])
    lines = exported(client, numbers="exact")
    assert lines[0] == ["Figure", "Group", "Period", "Count"]
    assert ["Reports each month", "All reports", "2025-01", "6"] in lines
    assert ["Reports each month", "All reports", "Whole period", "9"] in lines
    assert ["Year group the pupil gave", "Year 10", "2025-02", "2"] in lines
    assert ["Median time to acknowledge", "All reports", "Whole period", "40 minutes"] in lines
    assert ["Referrals sent, by recipient", "Police", "Whole period", "1"] in lines
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export_exact"))
    assert (event.user_id, event.school_id, event.record_type, event.record_id) == (
        oak_world["dsl"].id, oak_world["oak"].id, "school", "oak")


def test_the_governors_csv_hides_small_numbers_and_names_no_pupil(client, oak_world):
    sign_in(client, oak_world["dsl"])
    lines = exported(client)
    assert ["Reports each month", "All reports", "2025-02", "fewer than 5"] in lines
    assert ["Reports each month", "All reports", "2025-01", "6"] in lines
    counts = [line[3] for line in lines[1:] if line[0] != "About this export"]
    assert all(c in ("0", "fewer than 5", "not shown") or not c[0].isdigit()
               or int(c.rstrip("%").replace(",", "")) >= 5 or c.endswith("%") for c in counts)
    text = "\n".join(",".join(line) for line in lines)
    for secret in SECRETS:
        assert secret not in text
    assert db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.record_id == "oak")) == "export_governors"


def test_the_trust_lead_csv_is_protected_audited_and_names_no_pupil(client, make, oak_world):
    lead = trust_lead(make, oak_world["trust"])
    sign_in(client, lead)
    lines = exported(client)
    assert ["Reports by school", "Elm School", "Whole period", "fewer than 5"] in lines
    assert ["Reports by school", "Oak School", "Whole period", "not shown"] in lines
    text = "\n".join(",".join(line) for line in lines)
    for secret in SECRETS:
        assert secret not in text
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.user_id == lead.id,
                                                       AuditEvent.action == "export_governors"))
    assert (event.record_type, event.record_id, event.school_id) == (
        "trust", str(oak_world["trust"].id), None)


def test_staff_without_a_safeguarding_role_are_refused(client, make, oak_world):
    sign_in(client, make.user(oak_world["oak"], "staff"))
    assert client.get("/staff/insight/").status_code == 403
    assert client.get("/staff/insight/export.csv").status_code == 403


def test_a_cell_that_a_spreadsheet_would_run_is_made_plain_text(client, make):
    school = make.school("formula", name="=HYPERLINK(\"x\")")
    sign_in(client, make.user(school, "dsl"))
    lines = exported(client)
    assert ["About this export", "Schools", "", "'=HYPERLINK(\"x\")"] in lines


def test_views_with_small_numbers_hidden_cover_whole_months(client, make, oak_world):
    sign_in(client, trust_lead(make, oak_world["trust"]))
    page = insight_page(client, **{"from": "2025-01-11", "to": "2025-02-10"})
    assert 'value="2025-01-01"' in page and 'value="2025-02-28"' in page
    # The reports of 10 January and 13 February still count: the range is whole months.
    assert rows(page, "Reports each month: the numbers")["Whole period"] == ["10"]
    lines = exported(client, **{"from": "2025-01-11", "to": "2025-02-10"})
    assert ["About this export", "Months covered", "",
            "Jan 2025 to Feb 2025: 2 whole calendar months, 2025-01-01 to 2025-02-28"] in lines


def test_the_dsls_exact_view_keeps_the_days_asked_for(client, oak_world):
    sign_in(client, oak_world["dsl"])
    page = insight_page(client, **{"from": "2025-01-11", "to": "2025-02-10"})
    # 11-15 January, and 10 February (the last day is included).
    assert rows(page, "Reports each month: the numbers")["Whole period"] == ["6"]


# Whole months: the governors' file and the page say which months, what was asked, and why.
WHY = ("With small numbers hidden, counts cover whole calendar months only. Two exports a few "
       "days apart could otherwise be compared to work out the small count of the days between "
       "them.")


def flat_text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def about(lines: list[list[str]]) -> dict[str, str]:
    return {line[1]: line[3] for line in lines if line[0] == "About this export"}


def test_the_governors_file_names_the_months_the_dates_asked_for_and_why(client, make,
                                                                         oak_world):
    sign_in(client, trust_lead(make, oak_world["trust"]))
    rows = about(exported(client, **{"from": "2024-01-06", "to": "2024-12-05"}))
    assert rows["Months covered"] == (
        "Jan 2024 to Dec 2024: 12 whole calendar months, 2024-01-01 to 2024-12-31")
    assert rows["Dates asked for"] == "2024-01-06 to 2024-12-05"
    assert rows["Why whole months"] == WHY
    assert "Dates" not in rows


def test_the_page_says_the_same_and_its_download_keeps_the_dates_asked_for(client, make,
                                                                          oak_world):
    sign_in(client, trust_lead(make, oak_world["trust"]))
    html = insight_page(client, **{"from": "2024-01-06", "to": "2024-12-05"})
    assert ("These figures cover the whole calendar months Jan 2024 to Dec 2024 (01 Jan 2024 "
            "to 31 Dec 2024), though you asked for 06 Jan 2024 to 05 Dec 2024.") in flat_text(html)
    assert "from=2024-01-06&amp;to=2024-12-05" in html


def test_a_period_ending_today_says_the_last_month_runs_only_to_today(client, make, oak_world,
                                                                      monkeypatch):
    monkeypatch.setattr("schoolsafe.insight.views.utcnow", lambda: datetime(2026, 12, 5, 10))
    sign_in(client, trust_lead(make, oak_world["trust"]))
    rows = about(exported(client, **{"from": "", "to": ""}))
    assert rows["Months covered"] == (
        "Jan 2026 to Dec 2026: 12 whole calendar months, 2026-01-01 to 2026-12-31 "
        "(Dec 2026 only up to 2026-12-05, when this was made)")
    assert rows["Dates asked for"] == "2026-01-01 to 2026-12-05"
    text = flat_text(insight_page(client, **{"from": "", "to": ""}))
    assert "Jan 2026 to Dec 2026 (01 Jan 2026 to 31 Dec 2026); Dec 2026 only up to today" in text
