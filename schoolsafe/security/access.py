"""Who may see what: a role gate per staff blueprint, and school-scoped record lookups."""

from __future__ import annotations

from typing import TypeVar

from flask import Blueprint, abort, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import select

from schoolsafe.extensions import db

T = TypeVar("T")


def gate(blueprint: Blueprint, *roles: str, open_endpoints: tuple[str, ...] = ()) -> None:
    """Deny every view of the blueprint unless the user holds one of the roles somewhere."""

    @blueprint.before_request
    def _check():
        if request.endpoint in open_endpoints:
            return None
        if not current_user.is_authenticated:
            return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
        if current_user.needs_two_factor and not session.get("two_factor_ok"):
            return redirect(url_for("auth.two_factor", next=request.full_path.rstrip("?")))
        if not current_user.school_ids_with(*roles):
            abort(403)
        return None


def school_ids(*roles: str) -> list[int]:
    """Ids of the schools where the signed-in user holds one of the roles."""
    return current_user.school_ids_with(*roles)


def current_school_id(*roles: str) -> int:
    """The school the user is working in: the one chosen in the session, or their first."""
    allowed = school_ids(*roles)
    if not allowed:
        abort(403)
    chosen = session.get("school_id")
    return chosen if chosen in allowed else allowed[0]


def get_for_school_or_404(model: type[T], public_id: str, *roles: str) -> T:
    """Load a record by public id, only from the user's schools; anything else is a 404."""
    record = db.session.scalar(
        select(model).where(
            model.public_id == public_id,  # type: ignore[attr-defined]
            model.school_id.in_(school_ids(*roles)),  # type: ignore[attr-defined]
        )
    )
    if record is None:
        abort(404)
    return record
