"""Staff forms saved once per submission: a token in every form, claimed with the change.

`form_token()` (a template global) puts a fresh random token in each form as it is shown.
`@once_per_form` on a POST view claims it in the same transaction as the view's change; a
second copy of the same submission (a double tap, a second tab, going back and sending again)
finds it claimed, creates nothing and is sent to the page the first copy led to.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Response, flash, redirect, request
from flask_babel import gettext
from flask_login import current_user
from markupsafe import Markup

from schoolsafe.extensions import db
from schoolsafe.models.base import utcnow
from schoolsafe.services.staff import forms as staff_forms
from schoolsafe.vocab import N_
from schoolsafe.web.home import home_for

FIELD = "form_token"
ALREADY_SAVED = N_("Already saved: that form had already been sent, so nothing was added "
                   "again.")
# A copy that arrives while the first is still being saved waits this long for its page.
WAIT_FOR_FIRST = (0.1, 20)


def form_token() -> Markup:
    """A hidden field with a fresh token for this showing of the form."""
    return Markup('<input type="hidden" name="%s" value="%s">') % (
        FIELD, staff_forms.new_token())


def once_per_form(view: Callable) -> Callable:
    """Save a staff form's submission once: a copy with the same token changes nothing.

    A POST without a token (a form from before tokens, a script) is handled as before.
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        token = request.form.get(FIELD, "")
        if not current_user.is_authenticated or not staff_forms.usable_token(token):
            return view(*args, **kwargs)
        user_id = current_user.id
        if not staff_forms.claim(db.session, user_id, token, utcnow()):
            flash(gettext(ALREADY_SAVED), "info")
            return redirect(_first_result(user_id, token) or home_for(current_user))
        response = view(*args, **kwargs)
        redirected = isinstance(response, Response) and 300 <= response.status_code < 400
        _note_result(user_id, token, response.location if redirected else "")
        return response

    wrapper.saves_once = True  # type: ignore[attr-defined]  # checked across the app's views
    return wrapper


def _note_result(user_id: int, token: str, location: str | None) -> None:
    # What the view left uncommitted would be dropped at the end of the request anyway; this
    # only finishes the claim the view committed (a refused change rolled it back). A page
    # shown instead of a redirect is noted as "" - finished, with no page to go back to.
    db.session.rollback()
    staff_forms.record_result(db.session, user_id, token, location or "")
    db.session.commit()


def _first_result(user_id: int, token: str) -> str | None:
    pause, tries = WAIT_FOR_FIRST
    for _ in range(tries):
        path = staff_forms.result_path(db.session, user_id, token)
        db.session.rollback()  # the next look is a new transaction, which sees its commit
        if path is not None:
            return path
        time.sleep(pause)
    return None
