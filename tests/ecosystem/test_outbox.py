"""The outbox: an e-mail is stored with the change that causes it, sent after commit, sent once.

No real services needed: Celery runs eager (in-process) and an unreachable broker is simulated by
making ``deliver_email.delay`` raise what kombu raises when Redis is down.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from smtplib import SMTPException

import pytest
import time_machine
from django.core import mail as django_mail
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from config.celery import app as celery_app
from ecosystem import mail, tasks
from ecosystem.models import OutgoingEmail

TEMPLATE = "ecosystem/email/invitation.txt"
CONTEXT = {
    "person": {"full_name": "An Peeters"},
    "network": {"name": "Klooz"},
    "inviter": {"full_name": "Coordinator Person"},
    "link": "https://leerecosysteem.example.org/invitation/abc/",
    "invitation": {"expires_at": timezone.now() + timedelta(days=14)},
}


def _queue(to: str = "an@example.test") -> OutgoingEmail:
    return mail.queue_email(to=to, subject="  Uitnodiging  ", template=TEMPLATE, context=CONTEXT)


def _after_grace():
    """Travel past the sweep's grace period, so rows created now are due."""
    return time_machine.travel(timezone.now() + mail.SWEEP_GRACE + timedelta(seconds=1), tick=False)


@pytest.fixture
def eager():
    """Run Celery tasks in-process even if the caller set CELERY_LIVE_WORKER."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture
def broker_down(monkeypatch):
    """``deliver_email.delay`` fails as it does when Redis refuses the connection."""
    calls: list[int] = []

    def refuse(email_id, *args, **kwargs):
        calls.append(email_id)
        raise OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")

    monkeypatch.setattr(tasks.deliver_email, "delay", refuse)
    return calls


@pytest.mark.django_db(transaction=True)
def test_queued_email_is_sent_after_commit(eager):
    with transaction.atomic():
        email = _queue()
        assert django_mail.outbox == [], "nothing may be sent before the transaction commits"

    assert len(django_mail.outbox) == 1
    message = django_mail.outbox[0]
    assert message.to == ["an@example.test"]
    assert message.subject == "Uitnodiging"
    assert "https://leerecosysteem.example.org/invitation/abc/" in message.body
    email.refresh_from_db()
    assert email.sent_at is not None
    assert email.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_rolled_back_change_leaves_no_email(eager):
    with pytest.raises(RuntimeError), transaction.atomic():
        _queue()
        raise RuntimeError("the change that caused the e-mail fails")

    assert not OutgoingEmail.objects.exists()
    assert django_mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_broker_down_keeps_email_pending_and_the_sweep_sends_it_once(broker_down, caplog):
    with caplog.at_level(logging.WARNING, logger="ecosystem.mail"), transaction.atomic():
        email = _queue()

    # The change committed, the on-commit hook tried the broker and failed without raising.
    assert broker_down == [email.pk]
    assert "stays in the outbox" in caplog.text
    email.refresh_from_db()
    assert email.sent_at is None
    assert email.attempts == 0
    assert django_mail.outbox == []

    # Within the grace period the sweep leaves the row to its own on-commit task.
    assert tasks.deliver_pending_emails() == 0
    assert django_mail.outbox == []

    with _after_grace():
        assert tasks.deliver_pending_emails() == 1
        assert len(django_mail.outbox) == 1
        assert django_mail.outbox[0].to == ["an@example.test"]
        email.refresh_from_db()
        assert email.sent_at is not None
        assert email.attempts == 1

        # A second sweep (or the late on-commit task) finds nothing to send.
        assert tasks.deliver_pending_emails() == 0
        assert mail.deliver(email.pk) is False
    assert len(django_mail.outbox) == 1


@pytest.mark.django_db
def test_delivering_the_same_id_twice_sends_once():
    email = OutgoingEmail.objects.create(to="an@example.test", subject="Hallo", body="Body")

    assert mail.deliver(email.pk) is True
    assert mail.deliver(email.pk) is False

    assert len(django_mail.outbox) == 1
    email.refresh_from_db()
    assert email.attempts == 1
    assert email.sent_at is not None


@pytest.mark.django_db
def test_failing_send_records_the_error_and_the_row_stays_pending(monkeypatch):
    email = OutgoingEmail.objects.create(to="an@example.test", subject="Hallo", body="Body")

    def smtp_down(*args, **kwargs):
        raise SMTPException("421 service not available, try again later")

    monkeypatch.setattr(mail, "send_mail", smtp_down)
    with pytest.raises(SMTPException):
        mail.deliver(email.pk)

    email.refresh_from_db()
    assert email.sent_at is None
    assert email.attempts == 1, "the failed attempt must be counted (MAX_ATTEMPTS depends on it)"
    assert "SMTPException" in email.last_error
    assert "421 service not available" in email.last_error

    with _after_grace():
        assert email.pk in mail.pending_ids()
        # The sweep swallows the failure (it is on the row) and counts another attempt.
        assert tasks.deliver_pending_emails() == 0
        email.refresh_from_db()
        assert email.attempts == 2

        monkeypatch.undo()
        assert tasks.deliver_pending_emails() == 1
    email.refresh_from_db()
    assert email.sent_at is not None
    assert email.attempts == 3
    assert email.last_error == ""
    assert len(django_mail.outbox) == 1


@pytest.mark.django_db
def test_sweep_gives_up_after_max_attempts():
    email = OutgoingEmail.objects.create(
        to="an@example.test",
        subject="Hallo",
        body="Body",
        attempts=mail.MAX_ATTEMPTS,
    )
    with _after_grace():
        assert email.pk not in mail.pending_ids()
        assert tasks.deliver_pending_emails() == 0
    assert django_mail.outbox == []
