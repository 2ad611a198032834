"""Real services for the test suite: private PostgreSQL, Redis and SMTP servers on loopback.

Plain classes with start/stop/restart (the conftest wraps them in fixtures). Each one keeps its
port and data across a restart, so fault tests can take a service away and bring it back.
Install the system packages with scripts/install-system-deps.sh; under CI=true a missing
service fails the run instead of skipping (see require()).
"""

from tests.support.postgres import PostgresServer
from tests.support.processes import find_binary, free_port, require, under_ci
from tests.support.redis_server import RedisServer
from tests.support.smtp_server import Envelope, SmtpServer

__all__ = [
    "Envelope",
    "PostgresServer",
    "RedisServer",
    "SmtpServer",
    "find_binary",
    "free_port",
    "require",
    "under_ci",
]
