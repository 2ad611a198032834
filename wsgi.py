"""The WSGI entry point: `gunicorn -c config/gunicorn.conf.py wsgi:app`."""

import sys

from config.settings import ConfigError
from schoolsafe import create_app

try:
    app = create_app()
except ConfigError as error:
    # One plain line instead of a traceback: the operator has something to fix.
    sys.exit(f"schoolsafe cannot start: {error}")
