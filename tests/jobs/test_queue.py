"""Jobs are queued by the function itself; one a worker could not import is refused at once."""

from __future__ import annotations

from datetime import datetime

import pytest

from schoolsafe.jobs.mail import deliver_outbox
from schoolsafe.jobs.queue import enqueue, enqueue_at, job_path, resolve


def test_a_job_is_named_by_the_dotted_path_a_worker_imports_it_by():
    assert resolve(job_path(deliver_outbox)) is deliver_outbox


def test_a_function_a_worker_could_not_import_is_refused_where_it_is_queued():
    def nested(message_id: int) -> None:
        """Not reachable from its module, so RQ could never run it."""

    with pytest.raises(ValueError, match="not a job a worker can import"):
        enqueue(nested, 1)
    with pytest.raises(ValueError, match="not a job a worker can import"):
        enqueue_at(datetime(2026, 1, 5, 10, 0), lambda message_id: None, 1, job_id="x")
