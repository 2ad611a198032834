"""A post over the size limit is not a dead end: the form comes back with the first part kept.

Werkzeug refuses the whole body once it is longer than MAX_CONTENT_LENGTH. For the report
form and the follow-up message, we read at most that much of it ourselves, cut each typed
answer to its own limit and show the form again with a plain message and a fresh CSRF token.
Nothing from the over-long post is ever stored.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import current_app, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from schoolsafe.errors import render_error
from schoolsafe.web.words import _l

from . import bp
from .followup import message_too_long
from .views import tell_too_long

TOO_LONG = _l("That was too long to send. We kept the first part - please make it shorter and "
            "send again.")

URLENCODED = "application/x-www-form-urlencoded"


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error: RequestEntityTooLarge):
    if request.method != "POST" or request.endpoint not in ("report.tell", "report.follow_up"):
        return render_error(413)
    keep_first_part()
    if request.endpoint == "report.tell":
        return tell_too_long(request.view_args["slug"], TOO_LONG)
    return message_too_long(TOO_LONG)


def keep_first_part() -> None:
    """Make request.form what arrived within the size limit (nothing, if it can't be read)."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    body = b""
    # Only a body of known length is read here: a chunked one was already partly consumed.
    if request.mimetype == URLENCODED and request.content_length is not None:
        body = request.environ["wsgi.input"].read(limit)
    # The last pair may be cut mid-character: undecodable bytes become U+FFFD and are dropped.
    pairs = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True,
                      encoding="utf-8", errors="replace")
    # Werkzeug keeps a parsed form here; with one in place it never reads the body again.
    request.__dict__["form"] = ImmutableMultiDict(
        [(key, value.rstrip("\ufffd")) for key, value in pairs])
    request.__dict__["files"] = ImmutableMultiDict()
