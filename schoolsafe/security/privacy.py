"""Keep client addresses, user agents, sign-in codes and search words out of every log line.

Pupils must not be traceable from our logs, so the scrubbing happens in the app (not only in a
proxy someone may forget to configure): a filter on every handler removes anything that looks
like an IP address, the development server's request log drops its address prefix, and
access logs drop query strings.
"""

from __future__ import annotations

import logging
import re

from flask import Flask

_IPV4 = r"\b(?:\d{1,3}\.){3}\d{1,3}\b"
_IPV6 = r"\b(?:[0-9A-Fa-f]{1,4}:){2,7}[0-9A-Fa-f]{0,4}\b|::1\b"
ADDRESS = re.compile(f"{_IPV4}|{_IPV6}")
# The development server writes '<address> - - [<date>] "GET ..."'.
WERKZEUG_PREFIX = re.compile(r"^\S+ - - \[[^\]]*\] ")
# A line of the development server's start-up banner: ' * Running on http://127.0.0.1:5000'.
BANNER_LINE = re.compile(r"^ ?\* Running on ", re.M)
# Query values an identity provider sends back (the one-time code, our state): worthless once
# used, but a log is no place for them while they are not.
PROTOCOL_SECRETS = re.compile(r"([?&](?:code|state|session_state|id_token)=)[^&\s\"]*")
# A request line's query string ('"GET /staff/triage/pupils?q=maisie HTTP/1.1"'): searches
# carry children's names, so access logs keep the path only.
QUERY = re.compile(r'("[A-Z]+ [^"?\s]*)\?[^"\s]*')
# A load balancer's health probe ('"GET /health/ready HTTP/1.1" 200 ...'), every few seconds.
PROBE = re.compile(r'"(?:GET|HEAD) /health/(?:live|ready)[ ?]')


ACCESS_LOGS = ("werkzeug", "gunicorn.access")


class ScrubAddresses(logging.Filter):
    """Replace anything address-like in a log record with a dash."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.name == "werkzeug" and BANNER_LINE.search(message):
            # The development server's start-up banner (a warning line, then its own
            # listening addresses): keep those addresses, they are not a client's.
            record.msg = "\n".join(line if BANNER_LINE.match(line) else ADDRESS.sub("-", line)
                                   for line in message.split("\n"))
            record.args = None
            return True
        message = PROTOCOL_SECRETS.sub(r"\1-", WERKZEUG_PREFIX.sub("", message))
        if record.name in ACCESS_LOGS:
            message = QUERY.sub(r"\1", message)
        record.msg = ADDRESS.sub("-", message)
        record.args = None
        return True


class QuietProbes(logging.Filter):
    """Leave health probes out of the access logs: they are neither people nor news."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not PROBE.search(record.getMessage())


def configure_logging(app: Flask) -> None:
    """Install the scrubbing filter on the root, werkzeug and gunicorn loggers."""
    logging.basicConfig(level=app.config.get("LOG_LEVEL", "INFO"),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Migrations narrate every plugin at INFO; operators need only warnings from them.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    scrub = ScrubAddresses()
    for name in ("", "werkzeug", "gunicorn.error", "gunicorn.access", "flask.app", "rq.worker"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, ScrubAddresses) for f in logger.filters):
            logger.addFilter(scrub)
        for handler in logger.handlers:
            if not any(isinstance(f, ScrubAddresses) for f in handler.filters):
                handler.addFilter(scrub)
    for name in ("werkzeug", "gunicorn.access"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, QuietProbes) for f in logger.filters):
            logger.addFilter(QuietProbes())
