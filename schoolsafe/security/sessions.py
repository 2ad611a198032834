"""Staff sessions: held on the server, so signing out ends them for good.

The session cookie carries a random session id as Flask-Login's user id (plus the signed
flags the pages keep: the second step passed, the school chosen, the CSRF token). The id's
hash finds a staff_session row, and only a row that has not ended, timed out (idle or
absolute) or been overtaken by "sign out everywhere" signs anyone in. Signing out ends the
row, so a copy of the cookie taken before is worth nothing afterwards.
"""

from __future__ import annotations

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext
from flask_login import login_user, logout_user

from schoolsafe.extensions import db, login_manager
from schoolsafe.models import StaffSession, User
from schoolsafe.models.base import utcnow
from schoolsafe.services.staff import forms as staff_forms
from schoolsafe.services.staff import sessions as staff_sessions
from schoolsafe.vocab import N_

login_manager.login_view = "auth.sign_in"
login_manager.login_message = N_("Please sign in to see that page.")
login_manager.login_message_category = "info"
# "Remember me" cookies would outlive the absolute timeout; we never issue them. Flask-Login's
# session protection keeps a hash of the client address and browser in the session ("_id"); we
# keep no trace of either (see start() and _sign_in_first), and rely on the server-side row.
login_manager.session_protection = None
TIMED_OUT = N_("You were signed out because the session timed out. Please sign in again.")
KEPT = N_("What you had just sent was not saved yet, but it is kept: sign in again and you "
          "can save it.")
# The session key naming a form kept across signing in again (a random key, never the form).
KEPT_FORM = "kept_form"
# The blueprints whose POSTs are staff forms worth keeping (signing in and out are not).
STAFF_FORMS = frozenset({"triage", "register", "concerns", "insight", "admin"})


@login_manager.unauthorized_handler
def _sign_in_first():
    # Flask-Login's own handler would write that address-and-browser hash into the session.
    flash(gettext(login_manager.login_message), login_manager.login_message_category)
    back = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("auth.sign_in", next=back))


def current_row() -> StaffSession | None:
    """This request's session row, whatever its state (looked up once per request)."""
    if "staff_session" not in g:
        token = session.get("_user_id")
        g.staff_session = (staff_sessions.find(db.session, token)
                           if isinstance(token, str) else None)
    return g.staff_session


def _limits() -> tuple:
    return current_app.config["IDLE_TIMEOUT"], current_app.config["ABSOLUTE_TIMEOUT"]


@login_manager.user_loader
def load_user(token: str) -> User | None:
    """The user of a live session; an ended, timed-out or superseded one finds nobody."""
    row = current_row()
    if row is None or session.get("_user_id") != token:
        return None
    # A deactivated account loses its open sessions at once, not at their next sign-in.
    return row.user if staff_sessions.usable(row, utcnow(), *_limits()) else None


def start(user: User) -> None:
    """Open a server-side session for the user, signed in by login_user() just before."""
    session.pop("_id", None)  # login_user() stores a hash of the address and browser there
    token, row = staff_sessions.open_session(db.session, user, utcnow(),
                                             current_app.config["ABSOLUTE_TIMEOUT"])
    session["_user_id"] = token  # the cookie names the session, not the user
    g.staff_session = row


def login(user: User) -> None:
    """Sign the user in with a fresh server-side session (the caller commits)."""
    login_user(user)
    start(user)


def end() -> None:
    """End this browser's session for good, and forget it in the cookie (the caller commits)."""
    row = current_row()
    if row is not None:
        staff_sessions.end(row, utcnow())
    logout_user()
    session.clear()
    g.pop("staff_session", None)


def end_everywhere(user: User) -> None:
    """End every session of the user, this one included (the caller commits)."""
    staff_sessions.end_all(db.session, user, utcnow())
    end()


def enforce_timeouts(app: Flask) -> None:
    """End a session that has been idle or open too long; note activity on a live one."""
    row = current_row()
    if row is None:
        return
    now = utcnow()
    idle, absolute = app.config["IDLE_TIMEOUT"], app.config["ABSOLUTE_TIMEOUT"]
    if row.ended_at is None and staff_sessions.timed_out(row, now, idle, absolute):
        user_id = row.user_id
        end()
        db.session.commit()
        flash(gettext(TIMED_OUT), "info")
        keep_unsent_form(user_id)
        return
    if not staff_sessions.usable(row, now, idle, absolute):
        # Ended, superseded or its account stopped: it stays ended even if the account is
        # switched back on, and the dead id leaves the cookie, which isn't sent back renewed.
        user_id = row.user_id
        end()
        db.session.commit()
        keep_unsent_form(user_id)
        return
    if staff_sessions.touch(row, now):
        db.session.commit()


def keep_unsent_form(user_id: int) -> None:
    """Keep a staff form that arrived after its session ended, for that session's user.

    It waits on the server; the cookie carries only its random key. Signing in again as the
    same user offers it to be sent (see auth.kept_form); anyone else signing in here gets
    nothing, and it is removed. A form with no known user (no session at all) is not kept.
    """
    if request.method != "POST" or request.blueprint not in STAFF_FORMS:
        return
    fields = [(name, value) for name, value in request.form.items(multi=True)
              if name != "csrf_token"]
    session[KEPT_FORM] = staff_forms.keep(db.session, user_id, request.full_path.rstrip("?"),
                                          request.method, fields, utcnow())
    db.session.commit()
    flash(gettext(KEPT), "info")


def forget_previous_user() -> None:
    """Load the user afresh from this request's session cookie.

    Flask-Login caches the user on `g`, which lives as long as the app context. Each request
    normally gets its own, but a request inside an already-open app context (a CLI command, a
    test) shares it, and must not inherit the previous request's user, session or roles.
    """
    for name in ("_login_user", "lead_trust_ids", "staff_session"):
        g.pop(name, None)


def init_app(app: Flask) -> None:
    """Check each request's session before it is handled."""
    app.before_request(forget_previous_user)
    app.before_request(lambda: enforce_timeouts(app))
