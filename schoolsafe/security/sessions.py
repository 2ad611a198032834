"""Staff sessions: loading the user, idle and absolute timeouts, sign-out everywhere."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask, flash, g, redirect, request, session, url_for
from flask_login import current_user, logout_user
from sqlalchemy import select

from schoolsafe.extensions import db, login_manager
from schoolsafe.models import User
from schoolsafe.models.base import utcnow

login_manager.login_view = "auth.sign_in"
login_manager.login_message = "Please sign in to see that page."
login_manager.login_message_category = "info"
# "Remember me" cookies would outlive the absolute timeout; we never issue them. Flask-Login's
# session protection keeps a hash of the client address and browser in the session ("_id"); we
# keep no trace of either (see start() and _sign_in_first), and rely on the epoch and timeouts.
login_manager.session_protection = None


@login_manager.unauthorized_handler
def _sign_in_first():
    # Flask-Login's own handler would write that address-and-browser hash into the session.
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Find the user for a session; a stale epoch (signed out everywhere) finds nobody."""
    public_id, _, epoch = user_id.partition(":")
    user = db.session.scalar(select(User).where(User.public_id == public_id))
    # A deactivated account loses its open sessions at once, not at their next sign-in.
    if user is None or str(user.session_epoch) != epoch or not user.active:
        return None
    return user


def start(user: User) -> None:
    """Mark the session's start, for the absolute timeout."""
    session.pop("_id", None)  # login_user() stores a hash of the address and browser there
    now = utcnow().isoformat()
    session["signed_in_at"] = now
    session["last_seen"] = now


def _expired(now: datetime, key: str, limit: timedelta) -> bool:
    # A session that never recorded the time is treated as expired, not as timeless.
    value = session.get(key)
    return value is None or now - datetime.fromisoformat(value) > limit


def enforce_timeouts(app: Flask) -> None:
    """Sign out a staff session that has been idle too long or open too long."""
    if not current_user.is_authenticated:
        return
    now = utcnow()
    if _expired(now, "last_seen", app.config["IDLE_TIMEOUT"]) or _expired(
        now, "signed_in_at", app.config["ABSOLUTE_TIMEOUT"]
    ):
        logout_user()
        session.clear()
        flash("You were signed out because the session timed out. Please sign in again.",
              "info")
        return
    session["last_seen"] = now.isoformat()


def forget_previous_user() -> None:
    """Load the user afresh from this request's session cookie.

    Flask-Login caches the user on `g`, which lives as long as the app context. Each request
    normally gets its own, but a request inside an already-open app context (a CLI command, a
    test) shares it, and must not inherit the previous request's user or roles.
    """
    for name in ("_login_user", "lead_trust_ids"):
        g.pop(name, None)


def init_app(app: Flask) -> None:
    """Check timeouts before each request."""
    app.before_request(forget_previous_user)
    app.before_request(lambda: enforce_timeouts(app))
