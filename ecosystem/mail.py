"""The outbox: e-mail is stored with the change that causes it and sent after commit.

``queue_email`` renders the message now, in the active language, and stores it; delivery is a
Celery task queued with ``transaction.on_commit``. If the broker is down at that moment the row
simply stays pending and the periodic ``deliver_pending_emails`` task sends it later.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from ecosystem.models import OutgoingEmail

logger = logging.getLogger(__name__)

# A row younger than this is left to its own on_commit task by the periodic sweep.
SWEEP_GRACE = timedelta(minutes=2)
MAX_ATTEMPTS = 20


def absolute_url(path: str) -> str:
    """A link for an e-mail: the one ``SITE_URL`` setting before a path from ``reverse()``."""
    return settings.SITE_URL.rstrip("/") + path


def queue_email(*, to: str, subject: str, template: str, context: dict) -> OutgoingEmail:
    """Store an e-mail and schedule its delivery after the surrounding transaction commits."""
    body = render_to_string(template, context)
    email = OutgoingEmail.objects.create(to=to, subject=subject.strip(), body=body)
    transaction.on_commit(lambda: _schedule(email.pk))
    return email


def _schedule(email_id: int) -> None:
    from ecosystem.tasks import deliver_email

    try:
        deliver_email.delay(email_id)
    except Exception:  # the broker is unreachable: the periodic sweep will send it
        logger.warning("could not queue e-mail %s; it stays in the outbox", email_id, exc_info=True)


def deliver(email_id: int) -> bool:
    """Send one stored e-mail unless it was sent already. Returns whether it was sent now.

    The row is locked while sending, so two workers racing on the same id send it once.
    """
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id, sent_at__isnull=True).first()
        if email is None:
            return False
        email.attempts += 1
        try:
            send_mail(email.subject, email.body, None, [email.to])
        except Exception as exc:
            # Recorded, not raised, inside the transaction: raising here would roll the record back.
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            email.save(update_fields=["attempts", "last_error"])
            failure = exc
        else:
            email.sent_at = timezone.now()
            email.last_error = ""
            email.save(update_fields=["attempts", "sent_at", "last_error"])
            return True
    raise failure


def pending_ids() -> list[int]:
    """Ids of e-mails that are due a (re)try by the periodic sweep."""
    cutoff = timezone.now() - SWEEP_GRACE
    return list(
        OutgoingEmail.objects.filter(sent_at__isnull=True, created_at__lte=cutoff, attempts__lt=MAX_ATTEMPTS)
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )
