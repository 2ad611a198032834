"""Security headers on every response; nothing from a third party."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.factories import sign_in

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("path", ["/", "/tell/oak", "/follow-up", "/staff/sign-in", "/nowhere",
                                  "/static/css/site.css"])
def test_every_response_carries_the_security_headers(client, make, path):
    make.school("oak")
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_staff_pages_are_not_cached_either(client, make):
    school = make.school("oak")
    sign_in(client, make.user(school, "dsl"))
    assert client.get("/staff/triage/").headers["Cache-Control"] == "no-store"


def test_templates_and_static_files_name_no_third_party_host():
    pattern = re.compile(r"""(?:src|href|url\()\s*=?\s*["']?(?:https?:)?//""")
    offenders = [str(p) for folder in ("templates", "static") for p in (ROOT / folder).rglob("*")
                 if p.is_file() and p.suffix in {".html", ".css", ".js"}
                 and pattern.search(p.read_text(errors="ignore"))]
    assert offenders == []
