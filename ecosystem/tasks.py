"""Celery tasks of the core: thin wrappers that take ids and call one function."""

from __future__ import annotations

import socket

from celery import shared_task

from ecosystem import mail


@shared_task(bind=True, acks_late=True, max_retries=8, default_retry_delay=30)
def deliver_email(self, email_id: int) -> bool:
    try:
        return mail.deliver(email_id)
    except Exception as exc:
        raise self.retry(exc=exc, countdown=min(30 * 2**self.request.retries, 3600)) from exc


@shared_task
def deliver_pending_emails() -> int:
    """Periodic sweep: send what the on-commit task could not (broker or worker was down)."""
    sent = 0
    for email_id in mail.pending_ids():
        try:
            sent += mail.deliver(email_id)
        except Exception:  # recorded on the row; the next sweep tries again
            continue
    return sent


@shared_task
def ping() -> str:
    """Round trip through the broker and a worker; answers which host ran it."""
    return f"pong from {socket.gethostname()}"
