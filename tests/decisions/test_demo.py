"""The demo's proposals: every state of a proposal's life, as a newcomer should find them."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from decisions import selectors
from decisions.models import Proposal, ProposalState
from ecosystem.models import Network, OutgoingEmail, Person
from partners.models import Partnership, Tier

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    return Network.objects.get(slug="klooz")


def test_the_demo_has_a_proposal_in_every_state(seeded):
    states = set(Proposal.objects.filter(network=seeded).values_list("state", flat=True))
    assert states == set(ProposalState.values)


def test_an_admission_was_adopted_after_an_objection_and_a_new_version(seeded):
    proposal = Proposal.objects.get(network=seeded, title__startswith="Bibliotheek")
    assert proposal.state == ProposalState.ADOPTED
    assert proposal.versions.count() == 2
    first, second = proposal.rounds.order_by("number")
    assert first.answers.filter(kind="objection").exists()
    assert Partnership.objects.get(network=seeded, organisation__name="Bibliotheek Borgloon").tier == Tier.CORE


def test_an_open_round_awaits_the_demo_member(seeded):
    member = Person.objects.get(email="member@example.org")
    waiting = list(selectors.awaiting_answer(member))
    assert [round.proposal.title for round in waiting] == ["Werkplaats op woensdag"]


def test_one_decision_is_due_for_review(seeded):
    due = list(selectors.decisions_due_for_review(seeded, on=timezone.localdate()))
    assert [p.title for p in due] == ["Maandelijkse open vergadering"]


def test_the_demo_sends_no_email(seeded):
    assert mail.outbox == []
    assert not OutgoingEmail.objects.filter(sent_at__isnull=True).exists()
