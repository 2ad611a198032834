"""Error pages in plain words. Nothing here shows internals; the 500 handler rolls back."""

from __future__ import annotations

import logging

from flask import Flask, current_app, g, render_template, request
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError

from schoolsafe.extensions import db
from schoolsafe.web.words import _l

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Something was missing"),
          _l("That request was incomplete. Please go back and try again.")),
    403: (_l("Not available to you"), _l("Your account doesn't have access to this page.")),
    404: (_l("Page not found"), _l("We couldn't find that page. Check the address, or go back.")),
    405: (_l("Not available"),
          _l("That page can't be used like that. Please go back and try again.")),
    413: (_l("Too much at once"),
          _l("That was more text than we can take at once. Please shorten it.")),
    429: (_l("Please wait"), _l("There have been too many tries. Please wait a few minutes.")),
    500: (_l("Something went wrong"), _l("Something went wrong on our side. Nothing has been "
                                         "half-saved. Please try again in a minute.")),
    503: (_l("Not available just now"), _l("We can't reach our database just now. Please try "
                                           "again in a minute.")),
}


# Staff addresses start here; every other page is a pupil's.
STAFF_PREFIX = "/staff/"
# Statuses that may mean the database is unreachable: the staff menu needs it, so leave it off.
NO_MENU = (500, 503)


def render_error(status: int, message: str | None = None):
    """The plain error page for a status, in the layout of whoever is reading it."""
    title, text = MESSAGES.get(status, MESSAGES[500])
    words = {"title": title, "message": message or text}
    if not (request.path + "/").startswith(STAFF_PREFIX):
        return render_template("errors/pupil.html", quick_exit_url=_quick_exit_url(),
                               **words), status
    if status not in NO_MENU:
        try:
            return render_template("errors/staff.html", **words), status
        except SQLAlchemyError:
            db.session.rollback()
            log.exception("the staff menu could not be shown on an error page")
    return render_template("errors/staff_plain.html", **words), status


def _quick_exit_url() -> str:
    # The pupil pages' "leave this site quickly" link, also when no school page was reached.
    packs = current_app.extensions["jurisdictions"]
    pack = (packs.get(g.get("pupil_jurisdiction", "")) or packs.get("england-wales")
            or next(iter(packs.values())))
    return pack.quick_exit_url


def init_app(app: Flask) -> None:
    """Register handlers for the statuses we name, CSRF failures and database outages."""
    for status in MESSAGES:
        app.register_error_handler(status, lambda e, s=status: render_error(s))

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        return render_error(400, gettext("This form had expired, so nothing was saved. Please "
                                         "go back, reload the page and try again."))

    @app.errorhandler(SQLAlchemyError)
    def _database(error: SQLAlchemyError):
        db.session.rollback()
        log.exception("database error")
        return render_error(503)

    @app.errorhandler(500)
    def _server_error(error: Exception):
        db.session.rollback()
        return render_error(500)
