"""The WSGI entry point: `gunicorn wsgi:app`."""

from schoolsafe import create_app

app = create_app()
