"""Periodic work, called by decisions/tasks.py: closing due rounds, deadline reminders."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from decisions import notifications, selectors
from decisions.models import (
    ConsentRound,
)
from decisions.services import rounds
from decisions.services._common import _lock_proposal, _lock_round

logger = logging.getLogger(__name__)

# A reminder goes out this long before the deadline (or halfway through a shorter round).
REMINDER_BEFORE = datetime.timedelta(hours=48)


def close_due_rounds(*, now: datetime.datetime | None = None) -> list[int]:
    """Close every open round whose deadline has passed. Returns the ids this run closed.

    Safe to run twice or in two workers at once: each round is closed in its own transaction, under
    lock, and a closed round is left alone. A round that fails for an unexpected reason is logged and
    tried again on the next run; the others still close.
    """
    now = now or timezone.now()
    due = ConsentRound.objects.filter(closed_at__isnull=True, deadline__lte=now).select_related("proposal")
    closed = []
    for round in due.order_by("deadline", "pk"):
        try:
            with transaction.atomic():
                if rounds._close_round(round, now=now):
                    closed.append(round.pk)
        except Exception:
            logger.exception("could not close consent round %s; the next run tries again", round.pk)
    return closed


def _reminder_due(round: ConsentRound, now: datetime.datetime) -> bool:
    """48 hours before the deadline; halfway through a round shorter than 96 hours, so that a short
    round's reminder does not arrive together with its opening e-mail."""
    due = max(round.deadline - REMINDER_BEFORE, round.opened_at + (round.deadline - round.opened_at) / 2)
    return due <= now < round.deadline


def send_deadline_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind those who have not answered, once per round. Returns how many rounds were reminded.

    Idempotent: ``reminder_sent_at`` is set in the transaction that writes the reminders.
    """
    now = now or timezone.now()
    candidates = ConsentRound.objects.filter(
        closed_at__isnull=True, reminder_sent_at__isnull=True, deadline__gt=now, deadline__lte=now + REMINDER_BEFORE
    ).select_related("proposal")
    reminded = 0
    for candidate in candidates.order_by("deadline", "pk"):
        if not _reminder_due(candidate, now):
            continue
        with transaction.atomic():
            _lock_proposal(candidate.proposal)
            round = _lock_round(candidate.pk)
            if round.closed_at is not None or round.reminder_sent_at is not None:
                continue
            progress = selectors.round_progress(round)
            notifications.deadline_reminder(round, [row.person for row in progress.not_answered])
            round.reminder_sent_at = now
            round.save(update_fields=["reminder_sent_at"])
            reminded += 1
    return reminded
