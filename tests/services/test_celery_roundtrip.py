"""Round trips through the real Redis broker and a real Celery worker process.

``.ci/run`` runs these: it starts a worker with the test settings, ``DATABASE_URL`` pointing at the
database pytest-django creates for this run (``test_<name>``, kept with ``--reuse-db``), the same
``REDIS_URL``, and then runs ``CELERY_LIVE_WORKER=1 pytest -m services -n 0 --reuse-db --create-db``.
Elsewhere they are skipped.
"""

from __future__ import annotations

import os
import time

import pytest
from celery.result import EagerResult
from django.db import connection, transaction

from config.celery import app as celery_app
from ecosystem import mail, tasks
from ecosystem.models import OutgoingEmail

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        not os.environ.get("CELERY_LIVE_WORKER"),
        reason="needs Redis and a live Celery worker: .ci/run runs these with CELERY_LIVE_WORKER=1",
    ),
]
TIMEOUT = 30


@pytest.fixture(autouse=True)
def _live_broker():
    """With CELERY_LIVE_WORKER set, a missing broker is a failure, not a reason to skip."""
    assert os.environ.get("REDIS_URL", "").startswith("redis://"), "CELERY_LIVE_WORKER needs REDIS_URL"
    assert celery_app.conf.task_always_eager is False
    assert celery_app.conf.broker_url == os.environ["REDIS_URL"]


def test_ping_goes_through_redis_to_a_worker_and_back():
    result = tasks.ping.delay()
    assert not isinstance(result, EagerResult), "the task ran in-process instead of on the worker"
    answer = result.get(timeout=TIMEOUT)
    assert answer.startswith("pong from ")
    assert answer.removeprefix("pong from ").strip()
    assert result.successful()


@pytest.mark.django_db(transaction=True)
def test_worker_delivers_a_committed_email_from_the_outbox():
    """queue_email commits the row; its on-commit task reaches the worker, which marks it sent.

    The worker writes to its own connection, so it only sees the row because this test commits
    (``transaction=True``) and the worker's DATABASE_URL names this test database.
    """
    with transaction.atomic():
        email = mail.queue_email(
            to="an@example.test",
            subject="Uitnodiging",
            template="ecosystem/email/invitation.txt",
            context={
                "person": {"full_name": "An Peeters"},
                "network": {"name": "Klooz"},
                "link": "https://leerecosysteem.example.org/invitation/abc/",
                "invitation": {},
            },
        )

    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        email.refresh_from_db()
        if email.sent_at is not None:
            break
        time.sleep(0.2)
    assert email.sent_at is not None, (
        f"the worker did not deliver e-mail {email.pk} within {TIMEOUT}s: is it running, on the same "
        f"REDIS_URL, with DATABASE_URL naming {connection.settings_dict['NAME']!r}? (attempts="
        f"{email.attempts}, last_error={email.last_error!r})"
    )
    assert email.attempts == 1
    assert email.last_error == ""

    # Asking the worker again sends nothing: the row is marked sent.
    assert tasks.deliver_email.delay(email.pk).get(timeout=TIMEOUT) is False
    assert OutgoingEmail.objects.get(pk=email.pk).attempts == 1
