"""Every staff route against every role, as one table.

Each row names an endpoint, the records its path needs, and what each kind of user gets:
  anon   nobody signed in
  staff  a member of staff of Alpha school
  dsl    a safeguarding lead of Alpha
  admin  an administrator of Alpha
  lead   a trust lead of Alpha's trust, with no role in any school
  other  a safeguarding lead and administrator of Beta, asking for Alpha's records
  half   Alpha's safeguarding lead after the password but before the second factor
  head   Alpha's head teacher (case manager for allegations about staff), not a DSL
  chair  Alpha's chair of governors, not a DSL: like the head, they work in the triage
         workspace only the reports about staff routed to them (none here, so every record
         is NF), and the pupil directory, files handed on, register and insight are NO
Outcomes: OK (let through: a page, a redirect elsewhere, or a form error), IN (sent to sign
in), TF (sent to the second factor), NO (403) and NF (404: the record is not theirs).

A route with no row fails the test: whoever adds a route adds its row here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyotp
import pytest
from flask import Flask, url_for
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import (
    AlertRoute,
    AuditEvent,
    Case,
    CaseEntry,
    CasePerson,
    CaseTask,
    ChecklistItem,
    FileTransfer,
    LookalikeFlag,
    OnlineAccount,
    OutboxMessage,
    PlatformReport,
    Pupil,
    ReceivedFile,
    Referral,
    School,
    Trust,
    TrustLead,
    User,
)
from schoolsafe.models.base import utcnow
from schoolsafe.security.passwords import hash_password
from schoolsafe.services.cases import transfer
from schoolsafe.services.register.linking import Place
from tests.factories import PASSWORD, sign_in

OK, IN, TF, NO, NF = "OK", "IN", "TF", "NO", "NF"
ROLES = ("anon", "staff", "dsl", "admin", "lead", "other", "half", "head", "chair")
NOT_STAFF_ROUTES = {"static"}
# Pupils' pages, and the page where a school elsewhere opens a child's file with its code.
NOT_STAFF_BLUEPRINTS = {"report", "receipt"}
UNGATED = {"auth.sign_in",  # the way in; its behaviour is tested in test_auth.py
           # the other ways in: browser/test_sso_sign_in.py, browser/test_passkeys_browser.py
           "auth.school_sign_in", "auth.sso_start", "auth.sso_callback",
           "auth.passkey_sign_in_options", "auth.passkey_sign_in",
           # load balancers' probes, saying nothing about any school: test_health.py
           "health.live", "health.ready"}

# endpoint                          path records    anon staff dsl admin lead other half head chair
TABLE = {
    "admin.add_route":               ("",           IN, NO, NO, OK, NO, OK, TF, NO, NO),
    "admin.audit_csv":               ("",           IN, NO, NO, OK, NO, OK, TF, NO, NO),
    "admin.audit_trail":             ("",           IN, NO, NO, OK, NO, OK, TF, NO, NO),
    "admin.email":                   ("",           IN, NO, NO, OK, NO, OK, TF, NO, NO),
    "admin.overview":                ("",           IN, NO, NO, OK, NO, OK, TF, NO, NO),
    "admin.remove_route":            ("route",      IN, NO, NO, OK, NO, OK, TF, NO, NO),
    "admin.recipients_page":         ("",           IN, NO, NO, OK, NO, OK, TF, NO, NO),
    "admin.recipients_save":         ("",           IN, NO, NO, OK, NO, OK, TF, NO, NO),
    "admin.routing_page":            ("",           IN, NO, NO, OK, NO, OK, TF, NO, NO),
    "admin.school_hours":            ("",           IN, NO, NO, OK, NO, OK, TF, NO, NO),
    "admin.school_languages":        ("",           IN, NO, NO, OK, NO, OK, TF, NO, NO),
    "admin.closed_days":             ("",           IN, NO, NO, OK, NO, OK, TF, NO, NO),
    "admin.closed_days_save":        ("",           IN, NO, NO, OK, NO, OK, TF, NO, NO),
    "admin.send_again":              ("message",    IN, NO, NO, OK, NO, OK, TF, NO, NO),
    "admin.set_fallback":            ("",           IN, NO, NO, OK, NO, OK, TF, NO, NO),
    "admin.sso_page":                ("",           IN, NO, NO, OK, NO, OK, TF, NO, NO),
    "admin.sso_save":                ("",           IN, NO, NO, OK, NO, OK, TF, NO, NO),
    "admin.staff_change":            ("member",     IN, NO, NO, OK, NO, NF, TF, NO, NO),
    "admin.staff_list":              ("",           IN, NO, NO, OK, NO, OK, TF, NO, NO),
    "admin.staff_member":            ("member",     IN, NO, NO, OK, NO, NF, TF, NO, NO),
    "admin.staff_new":               ("",           IN, NO, NO, OK, NO, OK, TF, NO, NO),
    # Without its "yes" this only asks to be sure, so the routes after it still find them.
    "admin.staff_remove":            ("member",     IN, NO, NO, OK, NO, NF, TF, NO, NO),
    "admin.staff_reset_two_factor":  ("member",     IN, NO, NO, OK, NO, NF, TF, NO, NO),
    "admin.staff_unpause":           ("member",     IN, NO, NO, OK, NO, NF, TF, NO, NO),
    "auth.account":                  ("",           IN, OK, OK, OK, OK, OK, TF, OK, OK),
    "auth.choose_school":            ("",           IN, OK, OK, OK, OK, OK, TF, OK, OK),
    "auth.forgot_password":          ("",           OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "auth.kept_form":                ("",           IN, OK, OK, OK, OK, OK, TF, OK, OK),
    "auth.language":                 ("",           IN, OK, OK, OK, OK, OK, TF, OK, OK),
    "auth.new_recovery_codes":       ("",           IN, OK, OK, OK, OK, OK, TF, OK, OK),
    "auth.passkey_new":              ("",           NO, OK, OK, OK, OK, OK, NO, OK, OK),
    "auth.passkey_new_options":      ("",           NO, OK, OK, OK, OK, OK, NO, OK, OK),
    "auth.passkey_remove":           ("passkey",    IN, OK, OK, OK, OK, OK, TF, OK, OK),
    "auth.reset_password":           ("",           OK, OK, OK, OK, OK, OK, OK, OK, OK),
    # Signing out always ends on the sign-in page, so allowed and refused look alike here;
    # test_sessions.py proves what each does.
    "auth.sign_out":                 ("",           IN, IN, IN, IN, IN, IN, IN, IN, IN),
    "auth.sign_out_everywhere":      ("",           IN, IN, IN, IN, IN, IN, TF, IN, IN),
    "auth.two_factor":               ("",           IN, OK, OK, OK, OK, OK, OK, OK, OK),
    "concerns.index":                ("",           IN, OK, OK, OK, NO, OK, TF, NO, NO),
    "concerns.new":                  ("",           IN, OK, OK, OK, NO, OK, TF, NO, NO),
    "insight.export":                ("",           IN, NO, OK, NO, OK, OK, TF, NO, NO),
    "insight.index":                 ("",           IN, NO, OK, NO, OK, OK, TF, NO, NO),
    "insight.trust":                 ("",           IN, NO, NO, NO, OK, NO, TF, NO, NO),
    "register.add_place":            ("case_place", IN, NO, OK, NO, NF, NF, TF, NO, NO),
    "register.decide_lookalike":     ("lookalike",  IN, NO, OK, NO, NF, NF, TF, NO, NO),
    "register.entry":                ("entry",      IN, NO, OK, NO, NF, NF, TF, NO, NO),
    "register.index":                ("",           IN, NO, OK, NO, OK, OK, TF, NO, NO),
    "register.mark_removed":         ("entry",      IN, NO, OK, NO, NF, NF, TF, NO, NO),
    "register.record_answer":        ("answer",     IN, NO, OK, NO, NF, NF, TF, NO, NO),
    "register.report_to_platform":   ("entry",      IN, NO, OK, NO, NF, NF, TF, NO, NO),
    "register.seen_again":           ("entry",      IN, NO, OK, NO, NF, NF, TF, NO, NO),
    "register.set_kind":             ("entry",      IN, NO, OK, NO, NF, NF, TF, NO, NO),
    "register.trust_entry":          ("entry",      IN, NO, NO, NO, OK, NO, TF, NO, NO),
    "register.trust_index":          ("",           IN, NO, NO, NO, OK, NO, TF, NO, NO),
    "triage.acknowledge":            ("report",     IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.add_person":             ("case",       IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.add_reader":             ("case",       IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.add_to_case":            ("report+case", IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.assign":                 ("case",       IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.urgency_level":          ("case",       IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.case":                   ("case",       IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.case_audit_trail":       ("case",       IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.case_export":            ("case",       IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.cases_list":             ("",           IN, NO, OK, NO, NO, OK, TF, OK, OK),
    "triage.change_urgency":         ("report",     IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.checklist":              ("case",       IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.checklist_item":         ("item",       IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.checklist_print":        ("case",       IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.checklist_sync":         ("case",       IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.close":                  ("case",       IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.decision":               ("case",       IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.entry_add":              ("case",       IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.entry_correct":          ("case_entry", IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.entry_correct_form":     ("case_entry", IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.entry_new":              ("case",       IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.case_task":              ("case",       IN, NO, OK, NO, NO, NF, TF, NF, NF),
    # Every member of staff has "My tasks"; a task is marked done by its colleague (here the
    # DSL) or a DSL of its school, and is nobody else's to find.
    "triage.my_tasks":               ("",           IN, OK, OK, OK, NO, OK, TF, OK, OK),
    "triage.task_done":              ("task",       IN, NF, OK, NF, NO, NF, TF, NF, NF),
    "triage.parents":                ("person",     IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.safety_plans":           ("case",       IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.safety_plans_print":     ("case",       IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.safety_plan_save":       ("child",      IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.person_left":            ("child",      IN, NO, OK, NO, NO, NF, TF, NO, NO),
    "triage.transfer_form":          ("child_page", IN, NO, OK, NO, NO, NF, TF, NO, NO),
    "triage.transfer_send":          ("child",      IN, NO, OK, NO, NO, NF, TF, NO, NO),
    # A file Beta handed on to Alpha: Alpha's DSLs open and accept it, Beta's never can.
    "triage.transfers_received":     ("",           IN, NO, OK, NO, NO, OK, TF, NO, NO),
    "triage.transfer_accept":        ("transfer",   IN, NO, OK, NO, NO, NF, TF, NO, NO),
    "triage.transfer_file":          ("transfer",   IN, NO, OK, NO, NO, NF, TF, NO, NO),
    "triage.transfer_json":          ("transfer",   IN, NO, OK, NO, NO, NF, TF, NO, NO),
    "triage.received_file":          ("received",   IN, NO, OK, NO, NO, NF, TF, NO, NO),
    "triage.details":                ("case",       IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.evidence_add":           ("case",       IN, NF, OK, NO, NO, NF, TF, NF, NF),
    "triage.link_earlier":           ("report",     IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.note":                   ("case",       IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.open_case":              ("report",     IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.person_role":            ("person",     IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.queue":                  ("",           IN, NO, OK, NO, NO, OK, TF, OK, OK),
    # The pupil directory is the DSL's alone: staff log concerns and admins manage accounts
    # without it, and a trust lead never sees a school's pupils.
    "triage.pupils_index":           ("",           IN, NO, OK, NO, NO, OK, TF, NO, NO),
    "triage.pupils_import":          ("",           IN, NO, OK, NO, NO, OK, TF, NO, NO),
    "triage.pupils_preview":         ("",           IN, NO, OK, NO, NO, OK, TF, NO, NO),
    "triage.pupils_import_run":      ("",           IN, NO, OK, NO, NO, OK, TF, NO, NO),
    "triage.pupil_page":             ("pupil",      IN, NO, OK, NO, NO, NF, TF, NO, NO),
    "triage.pupil_print":            ("pupil",      IN, NO, OK, NO, NO, NF, TF, NO, NO),
    "triage.pupil_left":             ("pupil",      IN, NO, OK, NO, NO, NF, TF, NO, NO),
    "triage.person_link":            ("person",     IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.person_unlink":          ("person",     IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.person_from_report":     ("case",       IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.referral":               ("referral",   IN, NF, OK, NO, NO, NF, TF, NF, NF),
    "triage.referral_copy":          ("referral",   IN, NF, OK, NO, NO, NF, TF, NF, NF),
    "triage.referral_create":        ("case",       IN, NF, OK, NO, NO, NF, TF, NF, NF),
    "triage.referral_include":       ("referral",   IN, NF, OK, NO, NO, NF, TF, NF, NF),
    "triage.referral_keep_name":     ("referral",   IN, NF, OK, NO, NO, NF, TF, NF, NF),
    "triage.referral_new":           ("case",       IN, NF, OK, NO, NO, NF, TF, NF, NF),
    "triage.referral_print":         ("referral",   IN, NF, OK, NO, NO, NF, TF, NF, NF),
    "triage.referral_save":          ("referral",   IN, NF, OK, NO, NO, NF, TF, NF, NF),
    "triage.remove_person":          ("person",     IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.reply":                  ("report",     IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.report":                 ("report",     IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.review":                 ("case",       IN, NO, OK, NO, NO, NF, TF, NF, NF),
    "triage.status":                 ("case",       IN, NO, OK, NO, NO, NF, TF, NF, NF),
}
# Run last, in this order: they end the session they are asked from.
ENDS_SESSION = ("auth.sign_out_everywhere", "auth.sign_out")


@dataclass
class World:
    """Alpha (in a trust) with one of every record, Beta beside it, and a user per role."""

    users: dict[str, User | None]
    # Per kind of record: the path arguments, and the form fields naming a second record.
    paths: dict[str, tuple[dict[str, object], dict[str, object]]]


def staff_endpoints(app: Flask) -> set[str]:
    return {r.endpoint for r in app.url_map.iter_rules()
            if r.endpoint not in NOT_STAFF_ROUTES | UNGATED
            and r.endpoint.split(".")[0] not in NOT_STAFF_BLUEPRINTS}


def build_world(make) -> World:
    trust = Trust(name="Riverside Trust")
    db.session.add(trust)
    db.session.commit()
    alpha, beta = make.school("alpha", trust_id=trust.id), make.school("beta")
    users = {"anon": None, "staff": make.user(alpha, "staff"), "dsl": make.user(alpha, "dsl"),
             "admin": make.user(alpha, "admin"), "lead": trust_lead(trust),
             "other": make.user(beta, "dsl")}
    make.user(beta, "admin", email=users["other"].email)
    users["half"] = users["dsl"]
    users["head"], users["chair"] = make.user(alpha, "case_manager"), make.user(alpha, "chair")
    return World(users, {**record_paths(make, alpha), **casework_paths(users["dsl"])})


def casework_paths(dsl: User) -> dict[str, tuple[dict[str, object], dict[str, object]]]:
    """A typed chronology entry, a task (for Alpha's DSL) and a child on Alpha's case."""
    case = db.session.scalar(select(Case))
    entry = CaseEntry(school_id=case.school_id, case_id=case.id, kind="call",
                      happened_at=utcnow(), said="Rang the parent.")
    task = CaseTask(school_id=case.school_id, case_id=case.id, what="Ring back", source="case",
                    assignee_id=dsl.id, due_on=utcnow().date())
    # A second child: the person above is taken off the case before the plan is written.
    child = CasePerson(case_id=case.id, label="Pupil B", role="alleged")
    db.session.add_all([entry, task, child])
    db.session.commit()
    sent = handed_to(case.school_id)
    kept = ReceivedFile(school_id=case.school_id, from_school="Beta", export=sent.export,
                        sent_at=sent.sent_at, accepted_by="Alpha's DSL")
    db.session.add(kept)
    db.session.commit()
    return {"received": ({"public_id": kept.public_id}, {}),
            "child": ({"public_id": case.public_id}, {"person": str(child.id)}),
            "child_page": ({"public_id": case.public_id, "person": child.id}, {}),
            "transfer": ({"public_id": sent.public_id}, {}),
            "case_entry": ({"public_id": case.public_id, "entry_id": entry.public_id}, {}),
            "task": ({"public_id": task.public_id}, {})}


def trust_lead(trust: Trust) -> User:
    lead = User(email="lead@example.org", name="Trust Lead",
                password_hash=hash_password(PASSWORD, "fast-test"),
                totp_secret=pyotp.random_base32(), totp_confirmed_at=utcnow())
    db.session.add(lead)
    db.session.flush()
    db.session.add(TrustLead(user_id=lead.id, trust_id=trust.id))
    db.session.commit()
    return lead


def record_paths(make, alpha) -> dict[str, tuple[dict[str, object], dict[str, object]]]:
    """Path arguments (and form fields) naming one record of each kind in Alpha."""
    report = make.report(alpha, places=(Place("instagram", "@alpha_baitout"),)).report
    entry = db.session.scalar(select(OnlineAccount))
    lookalike = OnlineAccount(school_id=alpha.id, platform="instagram",
                              canonical_key="instagram:alpha_baitout2", display="@alpha_baitout2")
    case = Case(school_id=alpha.id, reference="C-0001", status="open",
                people=[CasePerson(label="Pupil A", role="harmed")])
    db.session.add_all([lookalike, case])
    db.session.flush()
    in_case = make.report(alpha).report
    in_case.case_id = case.id
    referral = Referral(school_id=alpha.id, case_id=case.id, recipient_kind="police")
    item = ChecklistItem(case_id=case.id, rule_id="record-facts", text="Record the facts")
    route = AlertRoute(school_id=alpha.id, email="alerts@alpha.example.org")
    message = OutboxMessage(school_id=alpha.id, purpose="alert", to_addresses="a@example.org",
                            subject="s", body="b", state="failed")
    pupil = Pupil(school_id=alpha.id, upn="A1", legal_first="Maisie", legal_last="Adebayo")
    db.session.add_all([referral, item, route, message, pupil,
                        LookalikeFlag(school_id=alpha.id, account_id=entry.id,
                                      similar_id=lookalike.id, score=0.9),
                        PlatformReport(account_id=entry.id, reported_at=utcnow())])
    db.session.commit()
    paths = {"": {}, "report": {"public_id": report.public_id},
             "case": {"public_id": case.public_id},
             "item": {"public_id": case.public_id, "item_id": item.id},
             "case_place": {"case_id": case.public_id},
             "referral": {"public_id": referral.public_id},
             "entry": {"public_id": entry.public_id},
             "answer": {"public_id": entry.public_id, "number": 1},
             "lookalike": {"public_id": entry.public_id, "other_id": lookalike.public_id,
                           "decision": "dismiss"},
             "route": {"route_id": route.id}, "message": {"message_id": message.id},
             "pupil": {"public_id": pupil.public_id},
             "member": {"public_id": make.user(alpha, "staff").public_id},
             "passkey": {"public_id": "no-such-passkey"}}
    forms = {"report+case": ("report", {"case": case.public_id}),
             "person": ("case", {"person": str(case.people[0].id)})}
    return {**{kind: (args, {}) for kind, args in paths.items()},
            **{kind: (paths[base], form) for kind, (base, form) in forms.items()}}


def handed_to(school_id: int) -> FileTransfer:
    """A child's file Beta handed on to Alpha."""
    beta = db.session.scalar(select(School).where(School.slug == "beta"))
    case = Case(school_id=beta.id, reference="C-0009", status="open",
                people=[CasePerson(label="Pupil C", role="harmed")])
    db.session.add(case)
    db.session.flush()
    sent = FileTransfer(school_id=beta.id, case_id=case.id, person_id=case.people[0].id,
                        to_school_id=school_id, state="sent", due_on=utcnow().date(),
                        export=transfer.export(db.session, case, case.people[0], utcnow()))
    db.session.add(sent)
    db.session.commit()
    return sent


def signed_in_client(app: Flask, role: str, user: User | None):
    client = app.test_client()
    if user is None:
        return client
    user.totp_last_step = 0  # the same code may be typed again within this half-minute
    db.session.commit()
    if role == "half":
        client.post("/staff/sign-in", data={"email": user.email, "password": PASSWORD})
    else:
        sign_in(client, user)
    return client


def outcome(response) -> str:
    if response.status_code in (301, 302, 303, 307, 308):
        location = response.headers["Location"]
        if location.startswith("/staff/sign-in"):
            return IN
        return TF if location.startswith("/staff/two-factor") else OK
    if response.status_code >= 500:
        return f"server error {response.status_code}"
    return {403: NO, 404: NF}.get(response.status_code, OK)


def request_once(app: Flask, client, endpoint: str,
                 records: tuple[dict[str, object], dict[str, object]]):
    path_args, form = records
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    with app.test_request_context():
        url = url_for(endpoint, **path_args)
    return client.get(url) if "GET" in rule.methods else client.post(url, data=form)


def in_running_order(endpoints: set[str]) -> list[str]:
    """By name, then the routes that end the session."""
    def key(endpoint: str) -> tuple[int, str]:
        if endpoint in ENDS_SESSION:
            return (1, str(ENDS_SESSION.index(endpoint)))
        return (0, endpoint)

    return sorted(endpoints, key=key)


def test_every_staff_route_has_a_row(app):
    missing = sorted(staff_endpoints(app) - set(TABLE))
    assert not missing, f"add a row to TABLE in {__name__} for: {', '.join(missing)}"
    stale = sorted(set(TABLE) - staff_endpoints(app))
    assert not stale, f"these rows name routes that no longer exist: {', '.join(stale)}"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_table_says(app, make, role):
    world = build_world(make)
    client = signed_in_client(app, role, world.users[role])
    audit_before = db.session.execute(select(AuditEvent.id, AuditEvent.action,
                                             AuditEvent.record_id)).all()
    column = ROLES.index(role) + 1
    wrong = []
    for endpoint in in_running_order(staff_endpoints(app) & set(TABLE)):
        row = TABLE[endpoint]
        got = outcome(request_once(app, client, endpoint, world.paths[row[0]]))
        if got != row[column]:
            wrong.append(f"{endpoint}: expected {row[column]}, got {got}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
    db.session.expire_all()
    audit_after = db.session.execute(select(AuditEvent.id, AuditEvent.action,
                                            AuditEvent.record_id)
                                     .where(AuditEvent.id.in_([a[0] for a in audit_before]))).all()
    assert sorted(audit_after) == sorted(audit_before), "no route changes or removes audit rows"
