"""Password and second-factor checks: one lockout for both, codes used once, recovery codes."""

from __future__ import annotations

from datetime import datetime, timedelta

import pyotp
import pytest

from schoolsafe.extensions import db
from schoolsafe.services.staff import sessions as staff_sessions
from schoolsafe.services.staff import sign_in as staff_auth
from schoolsafe.services.staff.sign_in import LOCKED, NO_MATCH, SignInError
from schoolsafe.vocab import SignInMethod
from tests.factories import PASSWORD, Clock

START = datetime(2025, 3, 3, 9, 0, 0)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(START)
    monkeypatch.setattr(staff_auth, "utcnow", clock)
    return clock


@pytest.fixture
def dsl(make):
    return make.user(make.school(), "dsl")


def code_at(user, moment: datetime) -> str:
    return pyotp.TOTP(user.totp_secret).at(moment)


def refused(call) -> str:
    with pytest.raises(SignInError) as raised:
        call()
    return str(raised.value)


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(dsl, clock):
    for _ in range(4):
        assert refused(lambda: staff_auth.check_password(db.session, dsl.email, "wrong")) \
            == NO_MATCH
    assert refused(lambda: staff_auth.check_password(db.session, dsl.email, "wrong")) == LOCKED
    assert refused(lambda: staff_auth.check_password(db.session, dsl.email, PASSWORD)) == LOCKED
    clock.advance(minutes=15, seconds=1)
    assert staff_auth.check_password(db.session, dsl.email, PASSWORD) is dsl


def test_email_is_matched_without_case_or_spaces(dsl, clock):
    assert staff_auth.check_password(db.session, f"  {dsl.email.upper()} ", PASSWORD) is dsl


def test_a_deactivated_account_cannot_sign_in_with_the_right_password(dsl, clock):
    dsl.active = False
    assert refused(lambda: staff_auth.check_password(db.session, dsl.email, PASSWORD)) \
        == NO_MATCH


def test_unknown_email_says_no_match_until_the_throttle_says_locked(app, clock):
    tries = iter([True, False])
    answers = [refused(lambda: staff_auth.check_password(db.session, "nobody@example.org", "x",
                                                         lambda email: next(tries)))
               for _ in range(2)]
    assert answers == [NO_MATCH, LOCKED]


def test_password_and_code_failures_count_towards_one_lockout(dsl, clock):
    for _ in range(3):
        refused(lambda: staff_auth.check_password(db.session, dsl.email, "wrong"))
    # The right password alone doesn't clear the count: someone who knows it but not the
    # phone must not get fresh guesses at the code by signing in again.
    staff_auth.check_password(db.session, dsl.email, PASSWORD)
    assert refused(lambda: staff_auth.check_second_factor(db.session, dsl, "000000")) \
        == staff_auth.BAD_CODE
    assert refused(lambda: staff_auth.check_second_factor(db.session, dsl, "000000")) == LOCKED
    good = code_at(dsl, clock.now)
    assert refused(lambda: staff_auth.check_second_factor(db.session, dsl, good)) == LOCKED


def test_a_full_sign_in_clears_the_failure_count(dsl, clock):
    for _ in range(4):
        refused(lambda: staff_auth.check_password(db.session, dsl.email, "wrong"))
    staff_auth.check_password(db.session, dsl.email, PASSWORD)
    staff_auth.check_second_factor(db.session, dsl, code_at(dsl, clock.now))
    staff_auth.complete_sign_in(dsl, SignInMethod.PASSWORD_TOTP)
    for _ in range(4):
        assert refused(lambda: staff_auth.check_password(db.session, dsl.email, "wrong")) \
            == NO_MATCH


def test_a_totp_code_works_once_and_one_step_of_drift_is_allowed(dsl, clock):
    code = code_at(dsl, clock.now)
    assert staff_auth.check_second_factor(db.session, dsl, code).used_recovery_code is False
    assert refused(lambda: staff_auth.check_second_factor(db.session, dsl, code)) \
        == staff_auth.BAD_CODE
    clock.advance(seconds=60)
    late_by_one_step = code_at(dsl, clock.now - timedelta(seconds=30))
    staff_auth.check_second_factor(db.session, dsl, late_by_one_step)
    clock.advance(seconds=90)
    stale = code_at(dsl, clock.now - timedelta(seconds=60))
    assert refused(lambda: staff_auth.check_second_factor(db.session, dsl, stale)) \
        == staff_auth.BAD_CODE


def test_recovery_codes_work_once_each_in_any_spelling(dsl, clock):
    codes = staff_auth.new_recovery_codes(db.session, dsl)
    db.session.flush()
    assert len(codes) == 10 and len(set(codes)) == 10
    result = staff_auth.check_second_factor(db.session, dsl, codes[0].upper().replace("-", " "))
    assert result == staff_auth.SecondFactor(used_recovery_code=True, recovery_codes_left=9)
    assert refused(lambda: staff_auth.check_second_factor(db.session, dsl, codes[0])) \
        == staff_auth.BAD_CODE


def test_new_recovery_codes_replace_the_old_ones(dsl, clock):
    old = staff_auth.new_recovery_codes(db.session, dsl)
    db.session.flush()
    new = staff_auth.new_recovery_codes(db.session, dsl)
    db.session.flush()
    assert not set(old) & set(new)
    assert staff_auth.recovery_codes_left(db.session, dsl) == 10
    refused(lambda: staff_auth.check_second_factor(db.session, dsl, old[1]))
    assert staff_auth.check_second_factor(db.session, dsl, new[1]).used_recovery_code


def test_enrolment_needs_a_code_from_the_new_secret_and_that_code_is_then_spent(make, clock):
    user = make.user(make.school(), "staff")
    _, row = staff_sessions.open_session(db.session, user, clock.now, timedelta(hours=10))
    secret = staff_auth.enrolment_secret(row)
    assert "didn't match" in refused(
        lambda: staff_auth.confirm_enrolment(db.session, row, "123456"))
    assert user.totp_confirmed_at is None
    code = pyotp.TOTP(secret).at(clock.now)
    codes = staff_auth.confirm_enrolment(db.session, row, code[:3] + " " + code[3:])
    assert user.totp_secret == secret and user.totp_confirmed_at == clock.now
    assert len(codes) == 10
    assert refused(lambda: staff_auth.check_second_factor(db.session, user, code)) \
        == staff_auth.BAD_CODE
