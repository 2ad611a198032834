"""An administrator manages the school's staff: the list, adding people, roles, removal, and
help for someone locked out (a lost phone, too many wrong tries)."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pyotp
import pytest
from flask import g
from sqlalchemy import func, select

from schoolsafe.extensions import db
from schoolsafe.models import (
    AlertRoute,
    AuditEvent,
    Membership,
    OutboxMessage,
    RecoveryCode,
    User,
)
from schoolsafe.models.base import utcnow
from schoolsafe.services.staff import sign_in as staff_auth
from tests.conftest import empty_tables, make_app
from tests.factories import PASSWORD, Factory, sign_in
from tests.web.test_query_counts import counted

NEW_PASSWORD = "seven green boats on the river"


def text_of(response) -> str:
    """The page as a reader hears it: tags removed, spaces collapsed."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ",
                                                    response.get_data(as_text=True))))


def roles_at(user: User, school) -> list[str]:
    db.session.expire_all()
    return sorted(db.session.scalars(select(Membership.role).where(
        Membership.user_id == user.id, Membership.school_id == school.id)))


def audited(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


@pytest.fixture
def oak(make):
    """Oak school with an administrator signed in on `client`."""
    return make.school("oak", name="Oak Academy")


@pytest.fixture
def admin(client, make, oak):
    user = make.user(oak, "admin", email="head@oak.example.org")
    sign_in(client, user)
    return user


def add(client, **fields):
    data = {"name": "Sam Patel", "email": "sam@oak.example.org", "roles": ["staff"], **fields}
    return client.post("/staff/admin/staff/new", data=data)


# The list


def test_the_list_shows_this_schools_staff_only_with_their_state(client, make, oak, admin):
    dsl = make.user(oak, "dsl", email="lead@oak.example.org")
    dsl.last_login_at = utcnow().replace(year=2025, month=3, day=4, hour=9, minute=15)
    staff = make.user(oak, "staff", email="teacher@oak.example.org")
    staff.locked_until = utcnow() + timedelta(minutes=10)
    db.session.commit()
    elsewhere = make.user(make.school("elm", name="Elm Primary"), "dsl",
                          email="lead@elm.example.org")

    page = text_of(client.get("/staff/admin/staff"))
    assert "lead@oak.example.org" in page and "teacher@oak.example.org" in page
    assert elsewhere.email not in page and "Elm Primary" not in page
    row = page[page.index(dsl.name):]
    assert row.startswith(f"{dsl.name} lead@oak.example.org Safeguarding lead Yes Set up "
                          "Can sign in 04 Mar 2025 09:15")
    row = page[page.index(staff.name):]
    assert row.startswith(f"{staff.name} teacher@oak.example.org Staff No Not set up Paused")
    assert "Never" in row


def test_a_long_list_comes_a_page_of_fifty_at_a_time(client, make, oak, admin):
    users = [User(email=f"t{n:03}@oak.example.org", name=f"Teacher {n:03}",
                  password_hash="x") for n in range(55)]
    db.session.add_all(users)
    db.session.flush()
    db.session.add_all(Membership(user_id=u.id, school_id=oak.id, role="staff") for u in users)
    db.session.commit()

    first = text_of(client.get("/staff/admin/staff"))
    assert "Page 1 of 2 (56 in all)" in first and "Next page" in first
    assert "Teacher 048" in first and "Teacher 049" not in first  # "ADMIN n" sorts first
    second = text_of(client.get("/staff/admin/staff?page=2"))
    assert "Teacher 049" in second and "Teacher 054" in second and "Teacher 000" not in second
    assert "Previous page" in second and "Next page" not in second
    assert "Teacher 054" in text_of(client.get("/staff/admin/staff?page=99"))


def test_the_list_costs_the_same_queries_for_two_staff_or_twelve(client, make, oak, admin):
    make.user(oak, "dsl")

    def queries() -> int:
        assert client.get("/staff/admin/staff").status_code == 200
        with counted() as statements:
            assert client.get("/staff/admin/staff").status_code == 200
        return len(statements)

    few = queries()
    for n in range(10):
        make.user(oak, ("staff", "dsl", "admin")[n % 3])
    assert queries() == few


# Adding someone


def sent_to(address: str) -> OutboxMessage:
    return db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.to_addresses == address)).one()


def test_someone_new_gets_an_account_and_a_single_use_link_to_choose_a_password(
        app, client, make, oak, admin):
    response = add(client, name="Sam Patel", email=" Sam@Oak.example.org ",
                   roles=["dsl"], can_refer="y")
    sam = db.session.scalar(select(User).where(User.email == "sam@oak.example.org"))
    assert response.headers["Location"] == f"/staff/admin/staff/{sam.public_id}"
    assert "Sam Patel is now on the staff of Oak Academy" in text_of(client.get(
        response.headers["Location"]))
    assert roles_at(sam, oak) == ["dsl"]

    message = sent_to("sam@oak.example.org")
    assert message.subject == "schoolsafe: set your password" and message.state == "sent"
    assert message.school_id == oak.id
    assert "Oak Academy" in message.body
    assert "report" not in (message.subject + message.body).lower()
    assert "http://localhost/staff/reset-password\n" in message.body  # no secret in the link
    code = re.search(r"^ +(\S{5}-\S{5})$", message.body, re.MULTILINE).group(1)
    choose = {"email": sam.email, "code": code, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    [event] = audited("staff_added")
    assert (event.user_id, event.school_id, event.record_id) == (admin.id, oak.id, sam.public_id)

    other = make.app.test_client()
    assert other.post("/staff/reset-password", data=choose).headers["Location"] == "/staff/sign-in"
    assert other.post("/staff/reset-password", data=choose).status_code == 400  # it worked once
    signed_in = other.post("/staff/sign-in", data={"email": sam.email, "password": NEW_PASSWORD})
    assert signed_in.headers["Location"].startswith("/staff/two-factor")
    assert "Set up two-factor sign-in" in text_of(other.get("/staff/two-factor"))


def test_an_account_from_another_school_joins_this_one_and_keeps_everything_else(
        client, make, oak, admin):
    elm = make.school("elm", name="Elm Primary")
    jo = make.user(elm, "dsl", email="jo@trust.example.org")
    name, password_hash, secret = jo.name, jo.password_hash, jo.totp_secret

    response = add(client, name="Someone Else", email="JO@trust.example.org", roles=["staff"])
    assert response.status_code == 302
    assert roles_at(jo, oak) == ["staff"] and roles_at(jo, elm) == ["dsl"]
    assert (jo.name, jo.password_hash, jo.totp_secret) == (name, password_hash, secret)
    member_page = text_of(client.get(response.headers["Location"]))
    assert "Elm Primary" not in member_page and "Safeguarding lead" not in member_page.split(
        "What they can do here")[0]
    assert "Elm Primary" not in text_of(client.get("/staff/admin/staff"))

    message = sent_to("jo@trust.example.org")
    assert message.subject == "schoolsafe: you have been added to a school"
    assert "Oak Academy" in message.body and "Elm Primary" not in message.body
    assert "reset-password" not in message.body
    assert "report" not in message.body.lower()


def test_someone_already_on_the_staff_is_refused_and_the_form_keeps_what_was_typed(
        client, make, oak, admin):
    make.user(oak, "staff", email="sam@oak.example.org")
    response = add(client, name="Sam Again", email="SAM@oak.example.org", roles=["dsl"],
                   can_refer="y")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "sam@oak.example.org is already on this school&#39;s staff" in page
    assert 'value="Sam Again"' in page and 'value="SAM@oak.example.org"' in page
    assert re.search(r'<input checked[^>]*value="dsl"|value="dsl"[^>]*checked', page)
    assert re.search(r'<input checked[^>]*name="can_refer"|name="can_refer"[^>]*checked', page)
    assert db.session.scalar(select(func.count()).select_from(User)) == 2
    assert not audited("staff_added")


@pytest.mark.parametrize(("fields", "problem"), [
    ({"roles": ["superuser"]}, "“superuser” isn't one of the roles here"),
    ({"roles": []}, "Choose at least one role"),
    ({"email": "sam at oak"}, "doesn't look like an email address"),
    ({"name": " "}, "Type their name."),
])
def test_a_new_member_with_a_problem_is_refused_in_plain_words(client, oak, admin, fields,
                                                               problem):
    response = add(client, **fields)
    assert response.status_code == 400
    assert problem in text_of(response)
    assert "Nobody has been added yet" in text_of(response)
    assert f'value="{fields.get("name", "Sam Patel")}"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    assert db.session.scalar(select(OutboxMessage)) is None


# Changing and removing


def test_roles_and_referral_permission_change_at_this_school_only(client, make, oak, admin):
    elm = make.school("elm")
    jo = make.user(oak, "staff", email="jo@trust.example.org")
    make.user(elm, "admin", email="jo@trust.example.org")
    response = client.post(f"/staff/admin/staff/{jo.public_id}",
                           data={"roles": ["dsl", "admin"], "can_refer": "y"})
    assert response.headers["Location"] == f"/staff/admin/staff/{jo.public_id}"
    assert roles_at(jo, oak) == ["admin", "dsl"] and roles_at(jo, elm) == ["admin"]
    assert all(m.can_refer for m in db.session.scalars(select(Membership).where(
        Membership.user_id == jo.id, Membership.school_id == oak.id)))
    assert not db.session.scalar(select(Membership.can_refer).where(
        Membership.user_id == jo.id, Membership.school_id == elm.id))
    assert [e.record_id for e in audited("staff_roles_changed")] == [jo.public_id]

    client.post(f"/staff/admin/staff/{jo.public_id}", data={"roles": ["staff"]})
    assert roles_at(jo, oak) == ["staff"]
    assert f"{jo.email} Staff No" in text_of(client.get("/staff/admin/staff"))


def test_a_role_outside_the_list_is_refused_and_nothing_changes(client, make, oak, admin):
    jo = make.user(oak, "staff")
    response = client.post(f"/staff/admin/staff/{jo.public_id}", data={"roles": ["owner"]})
    assert response.status_code == 400
    assert "“owner” isn't one of the roles here" in text_of(response)
    assert roles_at(jo, oak) == ["staff"]


def test_the_only_administrator_cant_demote_or_remove_themselves(client, make, oak, admin):
    response = client.post(f"/staff/admin/staff/{admin.public_id}", data={"roles": ["dsl"]})
    assert response.status_code == 400
    assert ("You are the only administrator of this school, so you can't stop being an "
            "administrator. Make someone else an administrator first") in text_of(response)
    assert roles_at(admin, oak) == ["admin"]

    response = client.post(f"/staff/admin/staff/{admin.public_id}/remove", data={})
    page = text_of(client.get(response.headers["Location"]))
    assert "so you can't leave this school" in page
    client.post(f"/staff/admin/staff/{admin.public_id}/remove", data={"confirm": "yes"})
    assert roles_at(admin, oak) == ["admin"]
    assert not audited("staff_removed") and not audited("staff_roles_changed")


def test_a_switched_off_administrator_does_not_count_as_the_other_one(client, make, oak, admin):
    other = make.user(oak, "admin")
    other.active = False
    db.session.commit()
    response = client.post(f"/staff/admin/staff/{admin.public_id}", data={"roles": ["staff"]})
    assert response.status_code == 400
    assert roles_at(admin, oak) == ["admin"]


def test_with_another_administrator_you_can_step_down_and_leave_the_pages(
        client, make, oak, admin):
    make.user(oak, "admin")
    response = client.post(f"/staff/admin/staff/{admin.public_id}", data={"roles": ["staff"]})
    assert response.headers["Location"] == "/staff/concerns/"
    assert roles_at(admin, oak) == ["staff"]
    assert client.get("/staff/admin/staff").status_code == 403


def test_removing_someone_asks_first_then_takes_them_off_the_staff_and_routing_list(
        client, make, oak, admin):
    elm = make.school("elm")
    jo = make.user(oak, "dsl", email="jo@trust.example.org")
    make.user(elm, "dsl", email="jo@trust.example.org")
    route = AlertRoute(school_id=oak.id, user_id=jo.id, tier=1)
    db.session.add_all([route, AlertRoute(school_id=elm.id, user_id=jo.id, tier=1)])
    db.session.commit()
    route_id = route.id

    asked = client.post(f"/staff/admin/staff/{jo.public_id}/remove", data={})
    assert asked.status_code == 200
    assert f"Remove {jo.name} from Oak Academy?" in text_of(asked)
    assert roles_at(jo, oak) == ["dsl"]

    done = client.post(f"/staff/admin/staff/{jo.public_id}/remove", data={"confirm": "yes"})
    assert done.headers["Location"] == "/staff/admin/staff"
    assert f"{jo.name} is no longer on the staff of Oak Academy or its routing list" in \
        text_of(client.get("/staff/admin/staff"))
    assert roles_at(jo, oak) == [] and roles_at(jo, elm) == ["dsl"]
    assert db.session.scalars(select(AlertRoute.school_id)).all() == [elm.id]
    assert [e.record_id for e in audited("staff_removed")] == [jo.public_id]
    assert [e.record_id for e in audited("routing_removed")] == [str(route_id)]
    assert client.get(f"/staff/admin/staff/{jo.public_id}").status_code == 404


def test_a_member_of_another_school_is_not_found(client, make, oak, admin):
    stranger = make.user(make.school("elm"), "staff")
    assert client.get(f"/staff/admin/staff/{stranger.public_id}").status_code == 404
    assert client.post(f"/staff/admin/staff/{stranger.public_id}/reset-two-factor"
                       ).status_code == 404
    assert client.post(f"/staff/admin/staff/{stranger.public_id}/remove",
                       data={"confirm": "yes"}).status_code == 404


# Help for someone locked out


def test_resetting_two_factor_signs_them_out_and_they_set_it_up_again(app, client, make, oak,
                                                                      admin):
    lead = make.user(oak, "dsl", email="lead@oak.example.org")
    theirs = app.test_client()
    sign_in(theirs, lead)
    assert theirs.get("/staff/triage/").status_code == 200
    staff_auth.new_recovery_codes(db.session, lead)
    db.session.commit()

    response = client.post(f"/staff/admin/staff/{lead.public_id}/reset-two-factor")
    assert "has been reset and they have been signed out everywhere" in text_of(
        client.get(response.headers["Location"]))
    db.session.expire_all()
    assert lead.totp_secret is None and lead.totp_confirmed_at is None
    assert db.session.scalar(select(RecoveryCode).where(RecoveryCode.user_id == lead.id)) is None
    assert theirs.get("/staff/triage/").headers["Location"].startswith("/staff/sign-in")
    assert [e.record_id for e in audited("two_factor_reset")] == [lead.public_id]
    message = sent_to("lead@oak.example.org")
    assert "reset your two-factor sign-in" in message.body and "report" not in message.body

    again = theirs.post("/staff/sign-in", data={"email": lead.email, "password": PASSWORD})
    assert again.headers["Location"].startswith("/staff/two-factor")
    assert "Set up two-factor sign-in" in text_of(theirs.get("/staff/two-factor"))


def test_you_cant_reset_your_own_two_factor_here(client, oak, admin):
    page = text_of(client.get(f"/staff/admin/staff/{admin.public_id}"))
    assert "use your account page" in page and "Reset two-factor" not in page
    response = client.post(f"/staff/admin/staff/{admin.public_id}/reset-two-factor")
    assert "Use your account page instead" in text_of(client.get(response.headers["Location"]))
    db.session.expire_all()
    assert admin.totp_secret is not None and not audited("two_factor_reset")


def test_unpausing_lets_someone_sign_in_again_at_once(app, make, client, oak, admin):
    jo = make.user(oak, "staff")
    theirs = app.test_client()
    for _ in range(staff_auth.MAX_FAILURES):
        theirs.post("/staff/sign-in", data={"email": jo.email, "password": "not the password"})
    refused = text_of(sign_in(theirs, jo))
    assert "signing in to this account is paused" in refused
    assert "Paused" in text_of(client.get(f"/staff/admin/staff/{jo.public_id}"))

    response = client.post(f"/staff/admin/staff/{jo.public_id}/unpause")
    assert f"{jo.name} can try signing in again now" in text_of(
        client.get(response.headers["Location"]))
    assert sign_in(theirs, jo).headers["Location"] == "/staff/concerns/"
    assert [e.record_id for e in audited("staff_unpaused")] == [jo.public_id]


# With CSRF checks on


@pytest.fixture
def csrf_app(database_url, tmp_path):
    application = make_app(database_url, tmp_path, WTF_CSRF_ENABLED=True)
    with application.app_context():
        yield application
        db.session.rollback()
        empty_tables()
        db.engine.dispose()


def token_from(client, url: str) -> str:
    g.pop("csrf_token", None)  # the test shares one app context; see test_referrals_csrf.py
    tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>',
                    client.get(url).get_data(as_text=True)).group(0)
    return re.search(r'value="([^"]+)"', tag).group(1)


def test_a_forged_post_changes_nobody(csrf_app):
    make = Factory(csrf_app)
    school = make.school()
    head, jo = make.user(school, "admin"), make.user(school, "staff")
    client = csrf_app.test_client()
    client.post("/staff/sign-in", data={"email": head.email, "password": PASSWORD,
                                        "csrf_token": token_from(client, "/staff/sign-in")})
    client.post("/staff/two-factor", data={"code": pyotp.TOTP(head.totp_secret).now(),
                                           "csrf_token": token_from(client, "/staff/two-factor")})
    member = f"/staff/admin/staff/{jo.public_id}"
    assert client.post(member, data={"roles": ["admin"]}).status_code == 400
    assert client.post(f"{member}/remove", data={"confirm": "yes"}).status_code == 400
    assert client.post("/staff/admin/staff/new", data={
        "name": "Eve", "email": "eve@example.org", "roles": ["admin"]}).status_code == 400
    assert roles_at(jo, school) == ["staff"]

    token = token_from(client, member)
    assert client.post(member, data={"roles": ["admin"], "csrf_token": token}
                       ).status_code == 302
    assert roles_at(jo, school) == ["admin"]
