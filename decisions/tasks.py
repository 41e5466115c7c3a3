"""Celery tasks of consent decisions: thin, idempotent, each calls one service.

They run periodically (see the beat entries in config/settings.py); running one twice, or in two
workers at once, does each piece of work once. A run that fails is simply done by the next run.
"""

from __future__ import annotations

from celery import shared_task

from decisions import notifications, services


@shared_task
def close_due_rounds() -> int:
    """Close the rounds whose deadline has passed; their outcome is e-mailed after commit."""
    return len(services.close_due_rounds())


@shared_task
def send_deadline_reminders() -> int:
    """Remind, once per round, those who have not answered 48 hours before the deadline."""
    return services.send_deadline_reminders()


@shared_task
def send_daily_digests() -> int:
    """One e-mail per person who chose the daily digest, with what waited for them."""
    return notifications.send_daily_digests()
