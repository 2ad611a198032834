"""Who may see what: a role gate per staff blueprint, and school-scoped record lookups.

Roles are the membership roles of models/staff.py (staff, dsl, admin, held per school) plus
TRUST_LEAD, held by having a TrustLead row for a trust. A trust lead has no school role from
that alone, so the school-scoped lookups below never give them another school's records.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, abort, current_app, g, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import TrustLead, User
from schoolsafe.security.restricted import refuse_hidden

T = TypeVar("T")
TRUST_LEAD = "trust_lead"


def lead_trust_ids(user: User) -> list[int]:
    """Ids of the trusts the user leads (cached for the request)."""
    cache = g.setdefault("lead_trust_ids", {})
    if user.id not in cache:
        cache[user.id] = list(db.session.scalars(
            select(TrustLead.trust_id).where(TrustLead.user_id == user.id)
            .order_by(TrustLead.trust_id)))
    return cache[user.id]


def holds_any(user: User, roles: tuple[str, ...]) -> bool:
    """Whether the user holds one of the roles in some school (or leads a trust)."""
    if user.school_ids_with(*(r for r in roles if r != TRUST_LEAD)):
        return True
    return TRUST_LEAD in roles and bool(lead_trust_ids(user))


def needs_two_factor(user: User) -> bool:
    """Whether sign-in needs the second step for this user."""
    # Always once set up; and always for DSLs, admins and trust leads, who reach safeguarding data.
    return (user.needs_two_factor or user.totp_confirmed_at is not None
            or bool(user.passkeys) or bool(lead_trust_ids(user)))


def refusal(roles: tuple[str, ...]) -> Any:
    """The response that refuses this request, or None when the user may go on."""
    if not current_user.is_authenticated:
        # A form's address answers only POSTs: coming back to it would show "Not available".
        # (A form sent after its session ended is kept instead; see sessions.keep_unsent_form.)
        back = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("auth.sign_in", next=back))
    if needs_two_factor(current_user) and not session.get("two_factor_ok"):
        return redirect(url_for("auth.two_factor", next=request.full_path.rstrip("?")))
    if roles and not holds_any(current_user, roles):
        abort(403)
    return None


_WIDER: dict[str, tuple[str, ...]] = {}
# Per area module (its dotted name): the roles let past its blueprint's gate there.
_WIDER_AREAS: dict[str, tuple[str, ...]] = {}


def gate(blueprint: Blueprint, *roles: str, open_endpoints: tuple[str, ...] = ()) -> None:
    """Deny every view of the blueprint unless the user holds one of the roles somewhere."""

    @blueprint.before_request
    def _check():
        if request.endpoint in open_endpoints:
            return None
        return refusal(_roles_for(request.endpoint or "", roles))


def _roles_for(endpoint: str, roles: tuple[str, ...]) -> tuple[str, ...]:
    if endpoint in _WIDER:
        return _WIDER[endpoint]
    view = current_app.view_functions.get(endpoint)
    return _WIDER_AREAS.get(getattr(view, "__module__", ""), roles)


def also_allow_areas(blueprint: Blueprint, areas: tuple[str, ...], *roles: str) -> None:
    """Let more roles past a blueprint's gate on every page of these area modules; what those
    pages load must then limit itself to what the roles may see (security/restricted.py)."""
    for area in areas:
        _WIDER_AREAS[f"{blueprint.import_name}.{area}"] = roles


def also_allow(endpoints: list[str], *roles: str) -> None:
    """Let more roles past a blueprint's gate for these endpoints only; the views must then
    check the finer permission themselves (e.g. staff given permission to refer)."""
    for endpoint in endpoints:
        _WIDER[endpoint] = roles


def require(*roles: str) -> Callable:
    """Narrow one view to some roles (or, with none, to anyone fully signed in)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return refusal(roles) or view(*args, **kwargs)

        return wrapper

    return decorate


def school_ids(*roles: str) -> list[int]:
    """Ids of the schools where the signed-in user holds one of the roles."""
    return current_user.school_ids_with(*roles)


def working_school_id(*roles: str) -> int | None:
    """The school the user is working in: the one chosen in the session, or their first
    (with any role when none is named); None when they have no such school."""
    allowed = school_ids(*roles) if roles else sorted(
        {m.school_id for m in current_user.memberships})
    chosen = session.get("school_id")
    return chosen if chosen in allowed else (allowed[0] if allowed else None)


def current_school_id(*roles: str) -> int:
    """working_school_id(), refusing a user with no school in those roles."""
    chosen = working_school_id(*roles)
    if chosen is None:
        abort(403)
    return chosen


def get_for_school_or_404(model: type[T], public_id: str, *roles: str) -> T:
    """Load a record by public id, only from the user's schools; anything else is a 404."""
    schools = school_ids(*roles)
    record = db.session.scalar(
        select(model).where(
            model.public_id == public_id,  # type: ignore[attr-defined]
            model.school_id.in_(schools),  # type: ignore[attr-defined]
        )
    )
    if record is None:
        # A report or case about a member of staff answers as if it did not exist, but the
        # try is audited (security/restricted.py).
        refuse_hidden(model, public_id, schools)
        abort(404)
    # The page is about this record, so its times are shown in the record's school's time.
    g.setdefault("display_school_id", record.school_id)
    return record
