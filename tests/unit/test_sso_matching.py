"""Who a verified ID token signs in: an existing member of that school only, by the subject id
noted at first sign-in or a verified email - never a new account, never another school's."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from schoolsafe.extensions import db
from schoolsafe.models import Membership, SchoolSso, SsoLink, User
from schoolsafe.services.staff import sso
from schoolsafe.vocab import AuditAction, SsoMode


def claims(sub: str, email: str | None = None, verified: bool = True, **more) -> dict:
    found = {"sub": sub, **more}
    if email is not None:
        found.update(email=email, email_verified=verified)
    return found


def refused_because(school_id: int, token: dict) -> AuditAction:
    with pytest.raises(sso.SsoError) as raised:
        sso.match_member(db.session, school_id, token)
    return raised.value.action


def test_the_first_sign_in_matches_by_verified_email_and_later_ones_by_subject(make):
    school = make.school()
    dsl = make.user(school, "dsl")
    assert sso.match_member(db.session, school.id, claims("abc", dsl.email.upper())) == dsl
    db.session.commit()
    # The school renamed the mailbox: the subject still finds the same member.
    assert sso.match_member(db.session, school.id, claims("abc", "renamed@example.org")) == dsl


def test_sign_in_never_creates_an_account(make):
    school = make.school()
    users = db.session.scalar(select(func.count()).select_from(User))
    assert refused_because(school.id, claims("new", "new@example.org")) == \
        AuditAction.REFUSED_UNKNOWN
    assert db.session.scalar(select(func.count()).select_from(User)) == users


def test_an_email_the_provider_has_not_verified_matches_nobody(make):
    school = make.school()
    dsl = make.user(school, "dsl")
    assert refused_because(school.id, claims("x", dsl.email, verified=False)) == \
        AuditAction.REFUSED_UNKNOWN


def test_entra_ids_verified_domain_claim_counts_as_verified(make):
    school = make.school()
    dsl = make.user(school, "dsl")
    token = {"sub": "oid-1", "email": dsl.email, "xms_edov": True}
    assert sso.match_member(db.session, school.id, token) == dsl


def test_a_member_of_another_school_is_not_matched_even_with_a_link_there(make):
    ours, theirs = make.school(), make.school()
    other = make.user(theirs, "dsl")
    sso.match_member(db.session, theirs.id, claims("sub-1", other.email))
    db.session.commit()
    assert refused_because(ours.id, claims("sub-1", other.email)) == AuditAction.REFUSED_UNKNOWN


def test_a_member_taken_off_the_staff_list_is_refused_despite_their_link(make):
    school = make.school()
    leaver = make.user(school, "staff")
    sso.match_member(db.session, school.id, claims("sub-2", leaver.email))
    db.session.commit()
    for membership in db.session.scalars(select(Membership).where(
            Membership.user_id == leaver.id)):
        db.session.delete(membership)
    db.session.commit()
    db.session.expire_all()
    assert refused_because(school.id, claims("sub-2", leaver.email)) == \
        AuditAction.REFUSED_UNKNOWN


def test_an_account_switched_off_here_is_refused(make):
    school = make.school()
    staff = make.user(school, "staff")
    staff.active = False
    db.session.commit()
    assert refused_because(school.id, claims("s", staff.email)) == \
        AuditAction.REFUSED_SWITCHED_OFF


def test_a_second_provider_account_with_the_same_email_is_refused(make):
    school = make.school()
    dsl = make.user(school, "dsl")
    sso.match_member(db.session, school.id, claims("first", dsl.email))
    db.session.commit()
    assert refused_because(school.id, claims("second", dsl.email)) == \
        AuditAction.REFUSED_UNKNOWN
    assert db.session.scalars(select(SsoLink.subject)).all() == ["first"]


@pytest.mark.parametrize(("values", "token", "trusted"), [
    (["mfa"], {"amr": ["pwd", "mfa"]}, True),
    (["mfa"], {"amr": ["pwd"]}, False),
    (["mfa"], {}, False),
    (["http://schemas.openid.net/pape/policies/2007/06/multi-factor"],
     {"acr": "http://schemas.openid.net/pape/policies/2007/06/multi-factor"}, True),
    ([], {"amr": ["mfa"]}, False),
])
def test_the_providers_mfa_counts_only_when_the_token_says_so(values, token, trusted):
    settings = SchoolSso(mode=SsoMode.BOTH, mfa_values=values)
    assert sso.provider_checked_second_factor(settings, token) is trusted
