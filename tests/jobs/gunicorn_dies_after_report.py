"""gunicorn settings for one test: production's, with a worker that dies right after saving.

Only tests/jobs/test_pupil_resend_after_crash.py starts gunicorn with this file. Straight
after the commit that stores a new report, the worker kills itself with SIGKILL, as an
out-of-memory kill or a lost machine would, so the pupil's POST gets no answer although the
report is saved. It does so once: only while the file named by DIE_AFTER_REPORT exists, and
it removes the file first.
"""

import os
import runpy
import signal
from pathlib import Path

_PRODUCTION = Path(__file__).resolve().parents[2] / "config" / "gunicorn.conf.py"
globals().update({name: value for name, value in runpy.run_path(str(_PRODUCTION)).items()
                  if not name.startswith("_")})


def post_worker_init(worker):
    """Arm the worker (gunicorn calls this once the app is loaded)."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from schoolsafe.models import Report

    marker = Path(os.environ["DIE_AFTER_REPORT"])

    @event.listens_for(Session, "after_flush")
    def _note_new_report(session, context):
        if any(isinstance(row, Report) for row in session.new):
            session.info["new_report"] = True

    @event.listens_for(Session, "after_commit")
    def _die_after_the_commit(session):
        if session.info.pop("new_report", False) and marker.exists():
            marker.unlink()
            os.kill(os.getpid(), signal.SIGKILL)
