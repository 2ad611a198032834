"""The receipt blueprint: a school elsewhere reads a child's file handed on to it and confirms
it has it. No sign-in: the emailed single-use code, typed on the page and only ever sent in a
form body, is the key, so no secret is in an address that reaches a log."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("receipt", __name__, url_prefix="/file-receipt")

# The modules that add their routes to bp (see schoolsafe.register_blueprints).
AREAS = ("views",)
