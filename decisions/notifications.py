"""E-mail about decisions, written in the same transaction as the change it reports.

Every message goes through :func:`_deliver`: at once through the outbox (``ecosystem.mail.queue_email``,
sent after commit, swept when the broker was down), or, for a person who chose the daily digest, as a
:class:`~decisions.models.DigestItem` that :func:`send_daily_digests` gathers into one e-mail a day.
Messages are rendered in the site's language (Dutch): the persons have no language of their own yet.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from decisions.models import ConsentRound, Delivery, DigestItem, Elector, Proposal, RoundResult
from decisions.selectors import delivery_for
from ecosystem import mail
from ecosystem.models import Network, Person


def proposal_url(proposal: Proposal) -> str:
    return mail.absolute_url(reverse("proposal_detail", args=[proposal.network.slug, proposal.pk]))


def answer_url(proposal: Proposal) -> str:
    """Where an e-mailed link lands: the answer form of the proposal's open round."""
    return mail.absolute_url(reverse("proposal_answer", args=[proposal.network.slug, proposal.pk]))


def _electors(round: ConsentRound) -> list[Person]:
    return [e.person for e in Elector.objects.filter(round=round).select_related("person").order_by("person_id")]


def _deliver(persons: Iterable[Person], *, network: Network, subject: str, template: str, context: dict) -> None:
    """Send one message to each person (with an e-mail address), at once or into their digest.

    Call inside ``translation.override``: subject and body are rendered in the active language.
    """
    recipients = [p for p in {p.pk: p for p in persons}.values() if p.email]
    delivery = delivery_for(recipients)
    for person in recipients:
        personal = {**context, "person": person, "network": network}
        if delivery[person.pk] == Delivery.DAILY_DIGEST:
            DigestItem.objects.create(
                person=person,
                network=network,
                subject=subject,
                body=render_to_string(template, {**personal, "in_digest": True}).strip(),
            )
        else:
            mail.queue_email(to=person.email, subject=subject, template=template, context=personal)


def round_opened(round: ConsentRound) -> None:
    """To everyone eligible: a round is open, with the link to the answer form.

    A round after the first one follows a new version (an objection integrated): everyone who is
    eligible is asked again, since answers count only for the version they were given on.
    """
    proposal = round.proposal
    with translation.override(settings.LANGUAGE_CODE):
        if round.number == 1:
            subject = _("Your consent is asked: %(title)s") % {"title": proposal.title}
            template = "decisions/email/round_opened.txt"
        else:
            subject = _("New version, please answer again: %(title)s") % {"title": proposal.title}
            template = "decisions/email/new_version.txt"
        _deliver(
            _electors(round),
            network=proposal.network,
            subject=subject,
            template=template,
            context={"proposal": proposal, "round": round, "version": round.version, "link": answer_url(proposal)},
        )


def deadline_reminder(round: ConsentRound, persons: list[Person]) -> None:
    """To those who have not answered yet, before the deadline."""
    proposal = round.proposal
    with translation.override(settings.LANGUAGE_CODE):
        _deliver(
            persons,
            network=proposal.network,
            subject=_("Reminder: your answer is awaited on %(title)s") % {"title": proposal.title},
            template="decisions/email/reminder.txt",
            context={"proposal": proposal, "round": round, "link": answer_url(proposal)},
        )


def round_closed(round: ConsentRound) -> None:
    """The outcome, to everyone eligible in the round and the proposer.

    A round replaced by a new version sends nothing here: the new round's e-mail says it all.
    """
    if round.result == RoundResult.SUPERSEDED:
        return
    proposal = round.proposal
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(result)s: %(title)s") % {"result": round.get_result_display(), "title": proposal.title}
        _deliver(
            [*_electors(round), proposal.proposer],
            network=proposal.network,
            subject=subject[:1].upper() + subject[1:],
            template="decisions/email/outcome.txt",
            context={"proposal": proposal, "round": round, "link": proposal_url(proposal)},
        )


# --- The daily digest -------------------------------------------------------------------------------


def send_daily_digests(*, now: datetime.datetime | None = None) -> int:
    """One e-mail per person with everything waiting in their digest. Returns how many were queued.

    Each person's items are locked and marked sent in the transaction that queues their e-mail, so
    two runs at once (or one run twice) send each item once.
    """
    now = now or timezone.now()
    person_ids = list(
        DigestItem.objects.filter(sent_at__isnull=True).order_by().values_list("person_id", flat=True).distinct()
    )
    sent = 0
    for person_id in person_ids:
        with transaction.atomic():
            items = list(
                DigestItem.objects.select_for_update(of=("self",))
                .select_related("network")
                .filter(person_id=person_id, sent_at__isnull=True)
                .order_by("created_at", "id")
            )
            if not items:
                continue
            person = Person.objects.get(pk=person_id)
            email = None
            if person.email:
                with translation.override(settings.LANGUAGE_CODE):
                    email = mail.queue_email(
                        to=person.email,
                        subject=_("Decisions in your networks: %(count)s new messages") % {"count": len(items)},
                        template="decisions/email/digest.txt",
                        context={"person": person, "items": items},
                    )
                sent += 1
            DigestItem.objects.filter(pk__in=[item.pk for item in items]).update(sent_at=now, email=email)
    return sent
