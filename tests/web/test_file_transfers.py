"""A pupil leaves: their file is handed on to a school on this schoolsafe (opened and accepted
there, with the receipt back on the sending case) or to a school elsewhere (a link and a
code by email, nothing about the child in it); the five-school-day clock is shown and
escalated like an overdue task; every step is audited."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from redis import Redis
from sqlalchemy import func, select

from schoolsafe.extensions import db
from schoolsafe.models import AuditEvent, Case, CaseTask, FileTransfer, OutboxMessage
from schoolsafe.models.base import utcnow
from schoolsafe.services import retention
from schoolsafe.services.cases.transfer import EXPORT_SCHEMA, due_after
from schoolsafe.triage import transfers as transfer_views
from tests.conftest import make_app
from tests.factories import Clock, sign_in
from tests.web.test_form_once import form_on

TODAY = utcnow().date().isoformat()
FARAWAY = {"environ_base": {"REMOTE_ADDR": "203.0.113.9"}}


@pytest.fixture
def oak(make):
    return make.school("oak", name="Oak Academy")


@pytest.fixture
def elm(make):
    return make.school("elm", name="Elm High")


@pytest.fixture
def case_url(client, make, oak):
    sign_in(client, make.user(oak, "dsl"))
    report = make.report(oak).report
    url = client.post(f"/staff/triage/reports/{report.public_id}/open-case").headers["Location"]
    client.post(f"{url}/people", data={"label": "Sara K.", "year_group": "Year 8",
                                       "role": "harmed"})
    return url


def sara_id(client, case_url) -> str:
    page = client.get(case_url).get_data(as_text=True)
    return re.search(r'<option value="(\d+)">Sara K\.</option>', page).group(1)


def audits(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == action))


def leave_and_send(client, case_url, **where) -> str:
    person = sara_id(client, case_url)
    client.post(f"{case_url}/people/left", data={"person": person, "left_on": TODAY})
    return client.post(f"{case_url}/transfer", data={"person": person, **where})


def test_a_file_sent_within_schoolsafe_is_opened_accepted_and_receipted(
        app, client, case_url, make, elm):
    page = client.get(case_url).get_data(as_text=True)
    assert "Mark a pupil as left" in page
    person = sara_id(client, case_url)
    client.post(f"{case_url}/people/left", data={"person": person, "left_on": TODAY})
    prompt = client.get(case_url).get_data(as_text=True)
    assert "Send Sara K.'s file to their new school" in prompt
    form = client.get(f"{case_url}/transfer?person={person}").get_data(as_text=True)
    assert "Elm High" in form and "Oak Academy" not in form
    client.post(f"{case_url}/transfer", data={"person": person, "where": "here",
                                              "to_school": "elm"})
    sent = db.session.scalar(select(FileTransfer))
    assert "Sent</strong>" in client.get(case_url).get_data(as_text=True)

    receiver = app.test_client()
    sign_in(receiver, make.user(elm, "dsl"))
    queue = receiver.get("/staff/triage/").get_data(as_text=True)
    assert "1 pupil file handed on by other schools is waiting to be accepted" in queue
    file_page = receiver.get(f"/staff/triage/transfers/{sent.public_id}").get_data(as_text=True)
    assert "Safeguarding file: Sara K." in file_page and "Year 8" in file_page
    assert "Opened by the new school</strong>" in client.get(case_url).get_data(as_text=True)
    receiver.post(f"/staff/triage/transfers/{sent.public_id}/accept")

    case_page = client.get(case_url).get_data(as_text=True)
    assert "Accepted by the new school</strong>" in case_page
    assert "Receipt: Sara K.&#39;s file was accepted by" in case_page
    assert "Elm High" in case_page
    assert db.session.scalar(select(CaseTask).where(CaseTask.source == "transfer")).done_at
    assert (audits("mark_left"), audits("send_file"), audits("open_file"),
            audits("accept_file")) == (1, 2, 2, 2)  # both schools' trails


def test_a_file_is_sent_only_for_a_pupil_marked_as_left_and_to_a_chosen_school(
        client, case_url, elm):
    person = sara_id(client, case_url)
    early = client.post(f"{case_url}/transfer", data={"person": person, "to_school": "elm"})
    assert early.status_code == 400
    assert "Mark Sara K. as left first, with the date." in early.get_data(as_text=True)
    client.post(f"{case_url}/people/left", data={"person": person, "left_on": TODAY})
    nowhere = client.post(f"{case_url}/transfer", data={"person": person, "to_school": ""})
    assert "Please choose the school they moved to." in nowhere.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(FileTransfer)) == 0


def test_five_school_days_skip_the_weekend():
    friday = date(2026, 3, 6)
    assert due_after(friday) == date(2026, 3, 13)
    assert due_after(date(2026, 3, 2)) == date(2026, 3, 9)  # Monday to Monday


def test_a_receipt_not_back_in_five_school_days_is_shown_and_counted_overdue(
        client, case_url, elm, monkeypatch):
    leave_and_send(client, case_url, where="here", to_school="elm")
    sent = db.session.scalar(select(FileTransfer))
    clock = Clock(utcnow() + timedelta(days=10))
    monkeypatch.setattr(transfer_views, "utcnow", clock)
    page = client.get(case_url).get_data(as_text=True)
    assert "overdue: no receipt after five school days" in page
    task = db.session.scalar(select(CaseTask).where(CaseTask.transfer_id == sent.id))
    assert task.due_on == sent.due_on and task.done_at is None  # reminded as overdue tasks are


def test_a_school_elsewhere_gets_a_link_and_a_code_and_its_receipt_comes_back(
        app, client, case_url):
    leave_and_send(client, case_url, where="elsewhere", to_address="dsl@faraway.example.org")
    email = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.purpose == "file_transfer"))
    assert email.to_addresses == "dsl@faraway.example.org"
    link = re.search(r"(https?://\S+)", email.body).group(1)
    code = re.search(r"Code: (\S+)", email.body).group(1)
    assert link.endswith("/file-receipt") and code not in link
    assert "Sara" not in email.body and "Sara" not in email.subject

    outside = app.test_client()
    assert outside.post("/file-receipt", data={"code": "wrong"}).status_code == 400
    opened = outside.post("/file-receipt", data={"code": code}).get_data(as_text=True)
    assert "Safeguarding file: Sara K." in opened
    exported = outside.post("/file-receipt", data={"code": code, "format": "json"}).get_json()
    assert exported["schema"] == EXPORT_SCHEMA and exported["child"]["name"] == "Sara K."
    assert set(exported) == {"schema", "sent_at", "from_school", "child", "case",
                             "parents_told", "safety_plan", "chronology"}
    done = outside.post("/file-receipt", data={"code": code, "accepted_by": "Ms Faraway, DSL"})
    assert "has been told that you have the file" in done.get_data(as_text=True)
    assert "accepted by Ms Faraway, DSL" in client.get(case_url).get_data(as_text=True)


def test_sending_the_file_twice_hands_it_on_once(client, case_url, elm):
    person = sara_id(client, case_url)
    client.post(f"{case_url}/people/left", data={"person": person, "left_on": TODAY})
    page = client.get(f"{case_url}/transfer?person={person}").get_data(as_text=True)
    hidden = form_on(page, f"{case_url}/transfer")
    typed = {**hidden, "where": "here", "to_school": "elm"}
    client.post(f"{case_url}/transfer", data=typed)
    again = client.post(f"{case_url}/transfer", data=typed, follow_redirects=True)
    assert "Already saved" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(FileTransfer)) == 1
    assert db.session.scalar(select(func.count()).select_from(CaseTask)) == 1


def accepted_at_elm(app, client, case_url, make, elm):
    """Oak hands Sara's file to Elm, whose DSL opens and accepts it; Elm's client."""
    leave_and_send(client, case_url, where="here", to_school="elm")
    sent = db.session.scalar(select(FileTransfer))
    receiver = app.test_client()
    sign_in(receiver, make.user(elm, "dsl"))
    receiver.get(f"/staff/triage/transfers/{sent.public_id}")
    receiver.post(f"/staff/triage/transfers/{sent.public_id}/accept")
    return receiver


def test_the_receiving_school_keeps_its_own_copy_when_the_sender_deletes_its_case(
        app, client, case_url, make, elm):
    client.post(f"{case_url}/notes", data={"body": "Sara said the messages had stopped."})
    receiver = accepted_at_elm(app, client, case_url, make, elm)
    assert "Receipt: Sara K.&#39;s file was accepted" in client.get(case_url).get_data(
        as_text=True)  # the sending school keeps its own record, with the receipt
    case = db.session.scalar(select(Case))
    # Closed long ago, so the sending school's keeping time is over; Elm's copy has its own.
    case.status, case.closed_at = "closed", datetime(1990, 1, 1)
    db.session.commit()
    gone = case.public_id
    plan = retention.delete_due(db.session, utcnow())
    db.session.commit()
    assert [c.public_id for c in plan.cases] == [gone]
    assert db.session.scalar(select(func.count()).select_from(FileTransfer)) == 0

    listed = receiver.get("/staff/triage/transfers").get_data(as_text=True)
    assert "Sara K." in listed and "Oak Academy" in listed
    kept = re.search(r'href="(/staff/triage/transfers/kept/[\w-]+)"', listed).group(1)
    page = receiver.get(kept).get_data(as_text=True)
    assert "Safeguarding file: Sara K." in page and "Year 8" in page
    assert "Sara said the messages had stopped." in page  # the chronology came with it
    assert re.search(rf"Child-protection record: kept until \d+ \w+ {utcnow().year + 25}, "
                     r"as no date of birth came with it", page)
    assert audits("open_file") >= 2


def test_another_school_cannot_read_a_copy_it_did_not_accept(app, client, case_url, make,
                                                              elm):
    receiver = accepted_at_elm(app, client, case_url, make, elm)
    kept = re.search(r'href="(/staff/triage/transfers/kept/[\w-]+)"', receiver.get(
        "/staff/triage/transfers").get_data(as_text=True)).group(1)
    assert client.get(kept).status_code == 404  # not even the school that sent it


def test_dsls_have_a_menu_link_to_files_from_other_schools_with_a_count_waiting(
        app, client, case_url, make, elm):
    leave_and_send(client, case_url, where="here", to_school="elm")
    receiver = app.test_client()
    sign_in(receiver, make.user(elm, "dsl"))
    cases = receiver.get("/staff/triage/cases").get_data(as_text=True)
    assert re.search(r'<a href="/staff/triage/transfers">Files from other schools '
                     r'<span class="nav-count">1 waiting', cases)
    sent = db.session.scalar(select(FileTransfer))
    receiver.post(f"/staff/triage/transfers/{sent.public_id}/accept")
    after = receiver.get("/staff/triage/cases").get_data(as_text=True)
    assert '<a href="/staff/triage/transfers">Files from other schools</a>' in after
    colleague = app.test_client()
    sign_in(colleague, make.user(elm, "staff"))
    assert "Files from other schools" not in colleague.get("/staff/triage/tasks").get_data(
        as_text=True)


def test_wrong_receipt_codes_are_limited_per_network_and_then_even_the_right_code_waits(
        app, client, case_url):
    leave_and_send(client, case_url, where="elsewhere", to_address="dsl@faraway.example.org")
    email = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.purpose == "file_transfer"))
    code = re.search(r"Code: (\S+)", email.body).group(1)
    outside = app.test_client()
    for _ in range(app.config["FOLLOWUP_LIMIT"]):
        wrong = outside.post("/file-receipt", data={"code": "abc-def"}, **FARAWAY)
        assert wrong.status_code == 400
    blocked = outside.post("/file-receipt", data={"code": code}, **FARAWAY)
    assert blocked.status_code == 429
    assert "too many wrong codes from your network" in blocked.get_data(as_text=True)
    assert "Sara" not in blocked.get_data(as_text=True)
    other = outside.post("/file-receipt", data={"code": code},
                         environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert "Safeguarding file: Sara K." in other.get_data(as_text=True)


@pytest.mark.redis
def test_with_redis_wrong_receipt_codes_count_across_app_servers(
        redis_server, database_url, tmp_path, make):
    servers = [make_app(database_url, tmp_path / str(n), WTF_CSRF_ENABLED=False,
                        REDIS_URL=redis_server.url, FOLLOWUP_LIMIT=3) for n in (1, 2)]
    for server in servers:
        server.extensions["ratelimiter"].clock = lambda: 1_800_000_300.0  # mid-window
    statuses = [servers[n % 2].test_client().post("/file-receipt", data={"code": "abc"},
                                                  **FARAWAY).status_code for n in range(4)]
    assert statuses == [400, 400, 400, 429]
    store = Redis.from_url(redis_server.url)
    assert all("203.0.113.9" not in key.decode() for key in store.keys("rl:*"))
    store.flushdb()


def test_closed_days_set_by_an_admin_are_not_counted_in_the_five_school_days(
        app, client, case_url, make, oak, elm):
    today = utcnow().date()
    closed = [today + timedelta(days=n) for n in range(1, 8)
              if (today + timedelta(days=n)).weekday() < 5][:2]
    admin = app.test_client()
    sign_in(admin, make.user(oak, "admin"))
    typo = admin.post("/staff/admin/closed-days",
                      data={"closed_days": f"{closed[0]}\n24 Dec"})
    assert typo.status_code == 400
    assert "&#34;24 Dec&#34; isn&#39;t a date" in typo.get_data(as_text=True)
    assert f"{closed[0]}\n24 Dec</textarea>" in typo.get_data(as_text=True)  # nothing lost
    admin.post("/staff/admin/closed-days", data={"closed_days": "\n".join(map(str, closed))})
    assert f"{closed[1]}</textarea>" in admin.get("/staff/admin/closed-days").get_data(
        as_text=True)
    assert audits("closed_days_changed") == 1

    leave_and_send(client, case_url, where="here", to_school="elm")
    sent = db.session.scalar(select(FileTransfer))
    assert sent.due_on == due_after(due_after(today), 2)  # two more school days
    assert db.session.scalar(select(CaseTask)).due_on == sent.due_on


def test_five_school_days_skip_closed_days_as_well_as_weekends():
    friday = date(2026, 3, 6)
    assert due_after(friday, closed=["2026-03-09", "2026-03-10"]) == date(2026, 3, 17)
