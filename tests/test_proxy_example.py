"""config/nginx.conf.example agrees with the app: body limit, forwarding, logs, headers.

Read as text (nginx is not installed for the tests): a proxy copied from it must not log a
pupil's address or query string, must forward exactly one address for TRUSTED_PROXIES=1, must
refuse what the app refuses, and must leave the app's own security headers alone.
"""

from __future__ import annotations

import re
from pathlib import Path

from config import settings

EXAMPLE = Path(__file__).resolve().parent.parent / "config" / "nginx.conf.example"


def directives(name: str) -> list[str]:
    """The values of every `name ...;` directive, comments left out."""
    text = re.sub(r"#[^\n]*", "", EXAMPLE.read_text())
    return [" ".join(value.split()) for value in
            re.findall(rf"(?:^|[;{{}}\s]){name}\s+([^;]*);", text, flags=re.MULTILINE)]


def test_the_body_limit_is_the_apps():
    (limit,) = directives("client_max_body_size")
    size = int(limit.rstrip("kK")) * 1024 if limit[-1] in "kK" else int(limit)
    assert size == settings.load()["MAX_CONTENT_LENGTH"]


def test_access_logs_record_no_address_agent_or_query():
    (log_format,) = directives("log_format")
    assert log_format.startswith("schoolsafe ")
    for variable in ("$remote_addr", "$http_x_forwarded_for", "$http_user_agent",
                     "$request_uri", "$args", "$query_string", "$http_referer", "$request "):
        assert variable not in log_format + " "
    assert "$request_method $uri" in log_format
    for use in directives("access_log"):
        assert use == "off" or use.endswith(" schoolsafe"), use


def test_one_forwarded_address_and_the_scheme_for_one_trusted_proxy():
    forwarded = directives("proxy_set_header")
    assert "X-Forwarded-For $remote_addr" in forwarded  # replaced, not appended to
    assert "X-Forwarded-Proto $scheme" in forwarded
    assert not [value for value in forwarded if "proxy_add_x_forwarded_for" in value]


def test_tls_and_the_apps_own_headers_kept():
    assert any("443 ssl" in value for value in directives("listen"))
    assert directives("ssl_protocols") == ["TLSv1.2 TLSv1.3"]
    assert directives("add_header") == [] and directives("proxy_hide_header") == []
