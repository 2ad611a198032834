"""Two-factor sign-in: enrolment with a server-drawn QR code, recovery codes, the account page."""

from __future__ import annotations

import base64
import html
import re
from datetime import UTC, datetime, timedelta

import pyotp
from sqlalchemy import select

from schoolsafe.auth.views import qr_data_uri
from schoolsafe.extensions import db
from schoolsafe.models import AuditEvent, OutboxMessage, RecoveryCode
from tests.factories import PASSWORD, sign_in


def page(response) -> str:
    return response.get_data(as_text=True)


def shown_codes(response) -> list[str]:
    return re.findall(r"<li><code>([a-z0-9-]+)</code></li>", page(response))


def new_dsl(make):
    """A DSL who has never set up two-factor sign-in."""
    dsl = make.user(make.school(), "dsl")
    dsl.totp_secret, dsl.totp_confirmed_at = None, None
    db.session.commit()
    return dsl


def key_offered(client) -> str:
    setup = page(client.get("/staff/two-factor"))
    return re.search(r'<code class="secret">([A-Z2-7]+)</code>', setup).group(1)


def enrol(client, dsl):
    """Sign in, scan (read the key), type the code; return the secret and the codes page."""
    client.post("/staff/sign-in", data={"email": dsl.email, "password": PASSWORD})
    setup = page(client.get("/staff/two-factor"))
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', setup).group(1)
    done = client.post("/staff/two-factor", data={"code": pyotp.TOTP(secret).now()})
    return secret, done


def test_a_new_dsl_is_sent_to_set_up_two_factor_before_seeing_reports(client, make):
    dsl = new_dsl(make)
    response = client.post("/staff/sign-in?next=/staff/triage/",
                           data={"email": dsl.email, "password": PASSWORD})
    assert response.headers["Location"].startswith("/staff/two-factor")
    assert client.get("/staff/triage/").headers["Location"].startswith("/staff/two-factor")
    assert "Set up two-factor sign-in" in page(client.get("/staff/two-factor"))


def test_the_qr_code_is_drawn_here_and_holds_the_key_shown_beside_it(client, make):
    dsl = new_dsl(make)
    client.post("/staff/sign-in", data={"email": dsl.email, "password": PASSWORD})
    setup = page(client.get("/staff/two-factor"))
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', setup).group(1)
    src = html.unescape(re.search(r'<img class="qr" src="([^"]+)"', setup).group(1))
    assert src.startswith("data:image/svg+xml;base64,")
    assert b"<svg" in base64.b64decode(src.split(",", 1)[1])
    uri = pyotp.TOTP(secret).provisioning_uri(name=dsl.email, issuer_name="schoolsafe")
    assert src == qr_data_uri(uri)
    assert "http" not in re.sub(r'href="/[^"]*"|src="/[^"]*"', "", setup.split("<main", 1)[1])
    # The same key is offered in this session until the app proves it has it.
    assert secret in page(client.get("/staff/two-factor"))


def test_enrolling_shows_recovery_codes_once_and_turns_two_factor_on(client, make):
    dsl = new_dsl(make)
    secret, done = enrol(client, dsl)
    codes = shown_codes(done)
    assert len(codes) == 10 and "They will not be shown again" in page(done)
    assert dsl.totp_secret == secret and dsl.totp_confirmed_at is not None
    assert client.get("/staff/triage/").status_code == 200
    account = page(client.get("/staff/account"))
    assert "<strong>10</strong> unused recovery codes" in account
    assert not any(code in account for code in codes)
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert not set(codes) & set(stored)


def test_a_wrong_enrolment_code_leaves_two_factor_off_and_says_why(client, make):
    dsl = new_dsl(make)
    client.post("/staff/sign-in", data={"email": dsl.email, "password": PASSWORD})
    client.get("/staff/two-factor")
    response = client.post("/staff/two-factor", data={"code": "123456"})
    assert "didn&#39;t match" in page(response)
    assert dsl.totp_confirmed_at is None
    assert client.get("/staff/triage/").headers["Location"].startswith("/staff/two-factor")


def test_signing_in_with_a_recovery_code_says_so_and_spends_it(client, make):
    dsl = new_dsl(make)
    _, done = enrol(client, dsl)
    codes = shown_codes(done)
    client.post("/staff/sign-out")
    client.post("/staff/sign-in", data={"email": dsl.email, "password": PASSWORD})
    response = client.post("/staff/two-factor", data={"code": codes[3]}, follow_redirects=True)
    assert "You signed in with a recovery code" in page(response)
    assert "You have 9 left" in page(response)
    client.post("/staff/sign-out")
    client.post("/staff/sign-in", data={"email": dsl.email, "password": PASSWORD})
    again = client.post("/staff/two-factor", data={"code": codes[3]})
    assert "code didn&#39;t work" in page(again)
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["two_factor_on", "sign_in_recovery_code"]


def test_new_recovery_codes_from_the_account_page_replace_the_old_ones(client, make):
    dsl = make.user(make.school(), "dsl")
    sign_in(client, dsl)
    first = shown_codes(client.post("/staff/account/recovery-codes"))
    second_page = client.post("/staff/account/recovery-codes")
    second = shown_codes(second_page)
    assert len(second) == 10 and not set(first) & set(second)
    assert "Your old codes no longer work" in page(second_page)
    client.post("/staff/sign-out")
    client.post("/staff/sign-in", data={"email": dsl.email, "password": PASSWORD})
    assert "code didn&#39;t work" in page(client.post("/staff/two-factor",
                                                      data={"code": first[0]}))
    assert client.post("/staff/two-factor", data={"code": second[0]}).status_code == 302


def test_recovery_codes_cannot_be_renewed_with_only_the_password(client, make):
    dsl = make.user(make.school(), "dsl")
    client.post("/staff/sign-in", data={"email": dsl.email, "password": PASSWORD})
    response = client.post("/staff/account/recovery-codes")
    assert response.headers["Location"].startswith("/staff/two-factor")
    assert db.session.scalars(select(RecoveryCode)).all() == []


def test_a_user_in_two_schools_chooses_which_one_to_work_in(client, make):
    oak, elm = make.school(name="Oak School"), make.school(name="Elm School")
    dsl = make.user(oak, "dsl")
    make.user(elm, "dsl", email=dsl.email)
    sign_in(client, dsl)
    assert "Oak School" in page(client.get("/staff/triage/"))
    client.post("/staff/account/school", data={"school": elm.slug})
    assert "Elm School" in page(client.get("/staff/triage/"))
    stranger = make.school(name="Ash School")
    refused = client.post("/staff/account/school", data={"school": stranger.slug},
                          follow_redirects=True)
    assert "You don&#39;t have a role in that school" in page(refused)
    assert "Elm School" in page(client.get("/staff/triage/"))


def test_the_key_being_set_up_never_travels_in_the_session_cookie(client, app, make):
    from flask.sessions import SecureCookieSessionInterface

    dsl = new_dsl(make)
    client.post("/staff/sign-in", data={"email": dsl.email, "password": PASSWORD})
    setup = page(client.get("/staff/two-factor"))
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', setup).group(1)
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    stored = SecureCookieSessionInterface().get_signing_serializer(app).loads(cookie)
    assert secret not in repr(stored)
    assert secret in page(client.get("/staff/two-factor"))  # the same key on the next visit
    assert dsl.totp_confirmed_at is None  # not on until a code proves the app has it
    assert client.get("/staff/triage/").headers["Location"].startswith("/staff/two-factor")


def test_a_key_shown_in_one_session_cannot_be_confirmed_from_another(app, make):
    dsl = new_dsl(make)
    owner, other = app.test_client(), app.test_client()
    for browser in (owner, other):
        browser.post("/staff/sign-in", data={"email": dsl.email, "password": PASSWORD})
    owners_key, others_key = key_offered(owner), key_offered(other)
    assert owners_key != others_key  # each session is offered its own
    refused = other.post("/staff/two-factor", data={"code": pyotp.TOTP(owners_key).now()})
    assert "didn&#39;t match" in page(refused)
    assert dsl.totp_confirmed_at is None
    done = owner.post("/staff/two-factor", data={"code": pyotp.TOTP(owners_key).now()})
    assert len(shown_codes(done)) == 10 and dsl.totp_secret == owners_key


def test_a_key_read_before_the_owner_enrols_does_not_sign_in_afterwards(app, make):
    dsl = new_dsl(make)
    snoop = app.test_client()
    snoop.post("/staff/sign-in", data={"email": dsl.email, "password": PASSWORD})
    read_early = key_offered(snoop)
    snoop.post("/staff/sign-out")

    owner = app.test_client()
    owners_key, _ = enrol(owner, dsl)
    assert owners_key != read_early
    # Later, with the password and codes from the key read early (next step's, so a code
    # already spent by the owner is not what stops it).
    snoop.post("/staff/sign-in", data={"email": dsl.email, "password": PASSWORD})
    later = datetime.now(UTC) + timedelta(seconds=30)
    refused = snoop.post("/staff/two-factor",
                         data={"code": pyotp.TOTP(read_early).at(later)})
    assert "code didn&#39;t work" in page(refused)
    assert snoop.get("/staff/triage/").headers["Location"].startswith("/staff/two-factor")


def test_a_key_not_confirmed_before_signing_out_is_thrown_away(client, make):
    dsl = new_dsl(make)
    client.post("/staff/sign-in", data={"email": dsl.email, "password": PASSWORD})
    first = key_offered(client)
    client.post("/staff/sign-out")
    client.post("/staff/sign-in", data={"email": dsl.email, "password": PASSWORD})
    second = key_offered(client)
    assert second != first
    refused = client.post("/staff/two-factor", data={"code": pyotp.TOTP(first).now()})
    assert "didn&#39;t match" in page(refused) and dsl.totp_confirmed_at is None


def test_the_owner_is_emailed_when_two_factor_sign_in_is_set_up(client, make):
    school = make.school(name="Oak School")
    dsl = make.user(school, "dsl")
    dsl.totp_secret, dsl.totp_confirmed_at = None, None
    db.session.commit()
    client.post("/staff/sign-in", data={"email": dsl.email, "password": PASSWORD})
    client.get("/staff/two-factor")
    client.post("/staff/two-factor", data={"code": "123456"})
    assert db.session.scalar(select(OutboxMessage)) is None  # a wrong code turns nothing on
    secret, done = enrol(client, dsl)
    message = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.purpose == "two_factor_on"))
    assert message.to_addresses == dsl.email and message.state == "sent"
    assert message.subject == "schoolsafe: two-factor sign-in was set up on your account"
    assert "someone else knows your password" in message.body
    text = message.subject + message.body
    for detail in (secret, *shown_codes(done), dsl.name, "Oak School", dsl.email):
        assert detail not in text
    assert re.findall(r"https?://\S+", message.body) == ["http://localhost/staff/forgot-password"]

