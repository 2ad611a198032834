"""A school's staff as its administrators manage them: who works here, in which roles.

Everything here is about one school. An account can belong to several schools of a trust;
these functions read and change only its memberships at the school asked about, and never say
which other schools it has. The exceptions are the account-wide switches an administrator
needs for a colleague who is locked out (two-factor reset, unpause), which are audited.

A school always keeps at least one administrator whose account is switched on: every change
that would take the last one away is refused, whoever asks.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session, selectinload

from schoolsafe.models import AlertRoute, Membership, RecoveryCode, School, User
from schoolsafe.models.base import utcnow
from schoolsafe.security.passwords import hash_password
from schoolsafe.services.errors import FieldError
from schoolsafe.services.paging import Page
from schoolsafe.services.staff.sessions import end_all
from schoolsafe.services.staff.sign_in import find_user
from schoolsafe.vocab import N_, Role

PAGE_SIZE = 50
NAME_LENGTH = 120


class StaffAdminError(FieldError):
    """A change we can't make; the message is shown to the administrator as it is."""


@dataclass(frozen=True)
class Member:
    """One member of staff as this school sees them: the account and their roles here."""

    user: User
    roles: tuple[str, ...]
    can_refer: bool

    @property
    def role_names(self) -> str:
        """Their roles here in words, e.g. "Safeguarding lead and Administrator"."""
        return " and ".join(Role(r).label for r in self.roles)

    @property
    def refers(self) -> bool:
        """Whether they may send referrals here (safeguarding leads always may)."""
        return self.can_refer or Role.DSL in self.roles

    @property
    def two_factor_on(self) -> bool:
        """Whether they have set up two-factor sign-in (an authenticator app or a passkey)."""
        return self.user.totp_confirmed_at is not None or bool(self.user.passkeys)

    @property
    def needs_two_factor_here(self) -> bool:
        """Whether a role at this school means they must use two-factor sign-in."""
        return any(Role(r).needs_two_factor for r in self.roles)

    def paused_until(self, now: datetime) -> datetime | None:
        """When signing in stops being paused after wrong tries, or None if it isn't."""
        until = self.user.locked_until
        return until if until is not None and until > now else None


@dataclass(frozen=True)
class NewMember:
    """A member of staff as typed on the "add" form."""

    name: str
    email: str
    roles: tuple[str, ...]
    can_refer: bool = False


def _members(session: Session, school_id: int, users: list[User]) -> list[Member]:
    """Each user with their roles here, from one query for the lot."""
    rows = session.scalars(select(Membership).where(
        Membership.school_id == school_id, Membership.user_id.in_([u.id for u in users])))
    held: dict[int, list[Membership]] = {}
    for row in rows:
        held.setdefault(row.user_id, []).append(row)
    return [Member(user, tuple(r for r in Role.values()
                               if r in {m.role for m in held.get(user.id, [])}),
                   any(m.can_refer for m in held.get(user.id, [])))
            for user in users]


def _here(school_id: int) -> Select:
    """The ids of the users with a role at the school."""
    return select(Membership.user_id).where(Membership.school_id == school_id)


def staff_page(session: Session, school_id: int, number: int = 1,
               size: int = PAGE_SIZE) -> Page:
    """A page of the school's staff by name; a page past the end shows the last one."""
    total = session.scalar(select(func.count(func.distinct(Membership.user_id)))
                           .where(Membership.school_id == school_id)) or 0
    number = min(max(1, number), max(1, -(-total // size)))
    users = list(session.scalars(
        select(User).where(User.id.in_(_here(school_id))).options(selectinload(User.passkeys))
        .order_by(func.lower(User.name), User.id).offset((number - 1) * size).limit(size)))
    return Page(_members(session, school_id, users), number, total, size)


def find_member(session: Session, school_id: int, public_id: str) -> Member | None:
    """The member of staff with this public id, if they work at this school."""
    user = session.scalar(select(User).where(User.public_id == public_id,
                                             User.id.in_(_here(school_id))))
    return _members(session, school_id, [user])[0] if user is not None else None


def check_roles(roles: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The roles in their usual order, or a StaffAdminError saying what is wrong."""
    if not roles:
        raise StaffAdminError("roles", N_("Choose at least one role for them at this school."))
    unknown = [r for r in roles if r not in Role.values()]
    if unknown:
        raise StaffAdminError("roles", N_("\u201c%(role)s\u201d isn't one of the roles here. "
                                          "Choose staff, safeguarding lead or administrator."),
                              role=unknown[0])
    return tuple(r for r in Role.values() if r in roles)


def check_email(address: str) -> str:
    """A normalised, lower-case email address, or a StaffAdminError."""
    try:
        return validate_email(address.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise StaffAdminError("email", N_("That doesn't look like an email address. Check it "
                              "and try again.")) from error


def _lock_school(session: Session, school_id: int) -> None:
    # Staff changes at one school wait for each other (on PostgreSQL), so two administrators
    # removing each other at the same moment can't leave the school with none.
    session.execute(select(School.id).where(School.id == school_id).with_for_update())


def add_member(session: Session, school_id: int, data: NewMember,
               hasher: str) -> tuple[User, bool]:
    """Give someone roles at this school, making their account if the email has none.

    Returns the user and whether the account is new. A new account gets a long random
    password nobody knows; its owner chooses their own through a reset link. An existing
    account (perhaps at another school of the trust) keeps its name, password and schools.
    """
    name, roles, email = data.name.strip(), check_roles(data.roles), check_email(data.email)
    if not name:
        raise StaffAdminError("name", N_("Type their name."))
    if len(name) > NAME_LENGTH:
        raise StaffAdminError("name", N_("Names can be up to %(limit)s characters long."),
                              limit=NAME_LENGTH)
    _lock_school(session, school_id)
    user = find_user(session, email)
    if user is not None and session.scalar(
            _here(school_id).where(Membership.user_id == user.id).limit(1)) is not None:
        raise StaffAdminError("email", N_("%(email)s is already on this school's staff. To change "
                              "their role, choose their name in the staff list."), email=email)
    created = user is None
    if created:
        user = User(email=email, name=name,
                    password_hash=hash_password(secrets.token_urlsafe(32), hasher))
        session.add(user)
        session.flush()
    session.add_all(Membership(user_id=user.id, school_id=school_id, role=role,
                               can_refer=data.can_refer) for role in roles)
    session.flush()
    return user, created


def _admins_left(session: Session, school_id: int, without: int) -> int:
    """Switched-on administrators of the school other than this user."""
    return session.scalar(
        select(func.count(func.distinct(Membership.user_id))).join(User)
        .where(Membership.school_id == school_id, Membership.role == Role.ADMIN,
               Membership.user_id != without, User.active.is_(True))) or 0


def _last_admin(session: Session, school_id: int, member: Member, acting_user_id: int,
                leaving: bool, field_name: str) -> StaffAdminError | None:
    """Why taking this member's administrator role away is refused, or None if it's fine."""
    if Role.ADMIN not in member.roles or not member.user.active:
        return None
    if _admins_left(session, school_id, member.user.id):
        return None
    if member.user.id == acting_user_id and leaving:
        return StaffAdminError(field_name, N_(
            "You are the only administrator of this school, so you can't leave this school. "
            "Make someone else an administrator first, then try again."))
    if member.user.id == acting_user_id:
        return StaffAdminError(field_name, N_(
            "You are the only administrator of this school, so you can't stop being an "
            "administrator. Make someone else an administrator first, then try again."))
    return StaffAdminError(field_name, N_(
        "%(name)s is the only administrator of this school, so the school would have nobody to "
        "manage its staff. Make someone else an administrator first."), name=member.user.name)


def removal_problem(session: Session, school_id: int, member: Member,
                    acting_user_id: int) -> StaffAdminError | None:
    """Why this member can't be removed from the school, or None if they can."""
    return _last_admin(session, school_id, member, acting_user_id, leaving=True,
                       field_name="member")


def change_member(session: Session, school_id: int, member: Member, acting_user_id: int,
                  roles: tuple[str, ...] | list[str], can_refer: bool) -> bool:
    """Set a member's roles and referral permission at this school; False if nothing changed."""
    wanted = check_roles(roles)
    _lock_school(session, school_id)
    if Role.ADMIN not in wanted:
        problem = _last_admin(session, school_id, member, acting_user_id, leaving=False,
                              field_name="roles")
        if problem:
            raise problem
    if wanted == member.roles and can_refer == member.can_refer:
        return False
    rows = session.scalars(select(Membership).where(
        Membership.school_id == school_id, Membership.user_id == member.user.id)).all()
    for row in rows:
        if row.role in wanted:
            row.can_refer = can_refer
        else:
            session.delete(row)
    held = {row.role for row in rows}
    session.add_all(Membership(user_id=member.user.id, school_id=school_id, role=role,
                               can_refer=can_refer) for role in wanted if role not in held)
    session.flush()
    return True


def remove_member(session: Session, school_id: int, member: Member,
                  acting_user_id: int) -> list[int]:
    """Take a member off this school's staff and its routing list; return the routes removed.

    Their account, and any roles at other schools, stay as they are.
    """
    _lock_school(session, school_id)
    problem = removal_problem(session, school_id, member, acting_user_id)
    if problem:
        raise problem
    routes = list(session.scalars(select(AlertRoute.id).where(
        AlertRoute.school_id == school_id, AlertRoute.user_id == member.user.id)))
    session.execute(delete(AlertRoute).where(AlertRoute.id.in_(routes)))
    session.execute(delete(Membership).where(Membership.school_id == school_id,
                                             Membership.user_id == member.user.id))
    return routes


def reset_two_factor(session: Session, member: Member, acting_user_id: int) -> None:
    """Forget a member's authenticator and recovery codes and end all their sessions.

    They set two-factor up again at their next sign-in if any of their roles needs it.
    """
    if member.user.id == acting_user_id:
        raise StaffAdminError("member", N_("You can't reset your own two-factor sign-in here. "
                              "Use your account page instead."))
    user = member.user
    if user.totp_secret is None and user.totp_confirmed_at is None and not user.passkeys:
        raise StaffAdminError("member", N_("%(name)s hasn't set up two-factor sign-in yet, "
                              "so there is nothing to reset."), name=user.name)
    user.totp_secret = None
    user.totp_confirmed_at = None
    user.totp_last_step = 0
    user.passkeys.clear()  # a lost phone may hold the passkeys too
    end_all(session, user, utcnow())  # as "sign out on every device" does
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def unpause(member: Member) -> bool:
    """Let a member try signing in again at once; False if they weren't paused."""
    user = member.user
    paused = member.paused_until(utcnow()) is not None
    user.locked_until = None
    user.failed_attempts = 0
    return paused
