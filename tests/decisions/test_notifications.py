"""E-mail about decisions and the periodic tasks: closing, reminders, daily digests.

Celery runs eagerly in the tests: an e-mail is sent when the on-commit callbacks run
(``django_capture_on_commit_callbacks(execute=True)``), and lands in ``django.core.mail.outbox``.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail as django_mail
from django.db import transaction
from django.utils import timezone, translation
from kombu.exceptions import OperationalError

from decisions import notifications, services, tasks
from decisions.models import AnswerKind, ConsentRound, Delivery, DigestItem, Proposal, ProposalState, RoundResult
from decisions.services import rounds as round_services
from ecosystem import mail
from ecosystem import tasks as ecosystem_tasks
from ecosystem.models import OutgoingEmail
from tests.decisions.conftest import in_site_language
from tests.decisions.factories import answer, make_proposal, make_round

ELECTORATE = ["coalition@example.test", "coordinator@example.test", "member2@example.test", "member3@example.test"]


def _to(messages) -> list[str]:
    return sorted(m.to[0] for m in messages)


def test_the_closing_task_run_twice_closes_once_and_mails_each_person_once(council, django_capture_on_commit_callbacks):
    round = make_round(council, days=2)
    answer(council, round, "member2", AnswerKind.CONSENT)
    answer(council, round, "member3", AnswerKind.CONCERN, "Bus times")
    django_mail.outbox.clear()
    with time_machine.travel(round.deadline + datetime.timedelta(minutes=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.close_due_rounds.delay().get() == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.close_due_rounds.delay().get() == 0
    round.refresh_from_db()
    assert round.result == RoundResult.ADOPTED
    assert Proposal.objects.get(pk=round.proposal_id).history.filter(state=ProposalState.ADOPTED).count() == 1
    assert _to(django_mail.outbox) == sorted(ELECTORATE)
    subject = in_site_language("%(result)s: %(title)s", result=RoundResult.ADOPTED.label, title=round.proposal.title)
    assert all(m.subject == subject[:1].upper() + subject[1:] for m in django_mail.outbox)
    assert all("Member3 Person: Bus times" in m.body for m in django_mail.outbox)


def test_the_closing_task_leaves_open_rounds_and_survives_a_failing_one(council, monkeypatch):
    due = make_round(council, days=1)
    later = make_round(council, days=5)
    failing = make_round(council, days=1)
    real_close = round_services._close

    def close_or_fail(proposal, round, *, now):
        if round.pk == failing.pk:
            raise RuntimeError("a bug in an effect")
        real_close(proposal, round, now=now)

    monkeypatch.setattr(round_services, "_close", close_or_fail)
    closed = services.close_due_rounds(now=timezone.now() + datetime.timedelta(days=2))
    assert closed == [due.pk]
    assert ConsentRound.objects.filter(closed_at__isnull=True).count() == 2
    assert {later.pk, failing.pk} == set(
        ConsentRound.objects.filter(closed_at__isnull=True).values_list("pk", flat=True)
    )


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(email_id, *args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(ecosystem_tasks.deliver_email, "delay", refuse)


def test_an_email_queued_while_the_broker_is_down_is_delivered_once_it_is_back(
    council, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_round(council)
    assert django_mail.outbox == []
    assert OutgoingEmail.objects.filter(sent_at__isnull=True).count() == 4
    with time_machine.travel(timezone.now() + mail.SWEEP_GRACE + datetime.timedelta(seconds=1)):
        assert ecosystem_tasks.deliver_pending_emails() == 4
        assert ecosystem_tasks.deliver_pending_emails() == 0
    assert _to(django_mail.outbox) == sorted(ELECTORATE)


def test_emails_are_written_in_dutch_whatever_language_the_request_had(council, django_capture_on_commit_callbacks):
    proposal = make_proposal(council)
    deadline = timezone.make_aware(datetime.datetime(2099, 3, 14, 18, 0))
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.open_consent_round(proposal=proposal, deadline=deadline, by=None)
    assert len(django_mail.outbox) == 4
    # Django's own Dutch month names show the language the e-mail was rendered in.
    assert all("14 maart 2099, 18:00" in m.body for m in django_mail.outbox)


# --- reminders --------------------------------------------------------------------------------------


def test_a_reminder_goes_48_hours_before_the_deadline_once_to_those_who_have_not_answered(
    council, django_capture_on_commit_callbacks
):
    round = make_round(council, days=5)
    answer(council, round, "member2", AnswerKind.CONSENT)
    django_mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_deadline_reminders(now=round.deadline - datetime.timedelta(hours=49)) == 0
    assert django_mail.outbox == []
    with time_machine.travel(round.deadline - datetime.timedelta(hours=47), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.send_deadline_reminders.delay().get() == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.send_deadline_reminders.delay().get() == 0
    assert _to(django_mail.outbox) == ["coalition@example.test", "coordinator@example.test", "member3@example.test"]
    assert all(f"/n/klooz/proposals/{round.proposal_id}/answer/" in m.body for m in django_mail.outbox)
    round.refresh_from_db()
    assert round.reminder_sent_at is not None


def test_a_short_round_is_reminded_halfway_not_with_its_opening(council):
    round = make_round(council, days=1)
    assert services.send_deadline_reminders(now=round.opened_at + datetime.timedelta(hours=1)) == 0
    assert services.send_deadline_reminders(now=round.opened_at + datetime.timedelta(hours=13)) == 1


def test_no_reminder_for_a_closed_round_or_after_the_deadline(council):
    closed = make_round(council, days=1)
    services.withdraw_proposal(proposal=closed.proposal, by=None)
    passed = make_round(council, days=1)
    assert services.send_deadline_reminders(now=passed.deadline + datetime.timedelta(minutes=1)) == 0
    assert not ConsentRound.objects.filter(reminder_sent_at__isnull=False).exists()


# --- daily digest -----------------------------------------------------------------------------------


def test_who_chose_the_digest_gets_one_email_a_day_with_everything(council, django_capture_on_commit_callbacks):
    services.set_notification_preference(person=council.persons["member2"], delivery=Delivery.DAILY_DIGEST, by=None)
    with django_capture_on_commit_callbacks(execute=True):
        first = make_round(council)
        second = make_round(council)
    assert "member2@example.test" not in _to(django_mail.outbox)
    assert len(django_mail.outbox) == 6
    assert DigestItem.objects.filter(person=council.persons["member2"], sent_at__isnull=True).count() == 2

    django_mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_daily_digests.delay().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_daily_digests.delay().get() == 0
    assert _to(django_mail.outbox) == ["member2@example.test"]
    digest = django_mail.outbox[0]
    assert first.proposal.title in digest.body and second.proposal.title in digest.body
    assert digest.body.count(in_site_language("Hello %(name)s,", name="Member2 Person")) == 1
    assert not DigestItem.objects.filter(sent_at__isnull=True).exists()


def test_a_digest_item_rolls_back_with_the_change(council):
    services.set_notification_preference(person=council.persons["member2"], delivery=Delivery.DAILY_DIGEST, by=None)
    with pytest.raises(RuntimeError), transaction.atomic():
        make_round(council)
        raise RuntimeError("the change fails")
    assert not DigestItem.objects.exists()


def test_links_start_with_the_site_url(council, settings):
    settings.SITE_URL = "https://leerecosysteem.example.org/"
    round = make_round(council)
    assert notifications.answer_url(round.proposal) == (
        f"https://leerecosysteem.example.org/n/klooz/proposals/{round.proposal_id}/answer/"
    )
