"""Health checks for load balancers and monitoring: /health/live and /health/ready.

Open to anyone, with no sign-in (a load balancer has none), and saying nothing about schools
or reports. Probes arrive every few seconds, so they are left out of the access logs
(schoolsafe.health.checks.QuietProbes).
"""

from __future__ import annotations

from flask import Blueprint

from schoolsafe.extensions import csrf

bp = Blueprint("health", __name__, url_prefix="/health")
csrf.exempt(bp)

# The modules that add their routes to bp (see schoolsafe.register_blueprints).
AREAS = ("checks",)
