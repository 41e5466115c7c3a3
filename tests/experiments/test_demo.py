"""The demo's experiments: one in every stage, a candidate awaiting its round, one stopped with lessons."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from decisions.models import ProposalKind, ProposalState
from decisions.selectors import proposals_about
from ecosystem.models import Network, Stage
from experiments import selectors
from experiments.models import Experiment, Standing

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    return Network.objects.get(slug="klooz")


def test_the_demo_has_an_experiment_of_the_ecosystem_in_every_stage(seeded):
    adopted = Experiment.objects.filter(network=seeded, standing=Standing.ADOPTED)
    assert set(adopted.values_list("stage", flat=True)) == set(Stage.values)
    for experiment in adopted:
        assert experiment.adopted_by.state == ProposalState.ADOPTED
        assert experiment.reach.count() >= 3 and experiment.lessons.exists()
    mainstreamed = adopted.get(stage=Stage.MAINSTREAMING)
    assert mainstreamed.events.filter(to_stage=Stage.MAINSTREAMING, decision__isnull=False).exists()


def test_a_candidate_awaits_its_adoption_round_and_one_stopped_with_lessons(seeded):
    candidate = Experiment.objects.get(network=seeded, standing=Standing.CANDIDATE)
    [proposal] = proposals_about(candidate)
    assert (proposal.kind, proposal.state) == (ProposalKind.ADOPT_EXPERIMENT, ProposalState.CONSENT_ROUND)
    stopped = Experiment.objects.get(network=seeded, standing=Standing.STOPPED)
    assert stopped.lessons.get().at_stop


def test_a_year_of_reach_and_seeding_twice_adds_nothing(seeded):
    totals = selectors.reach_totals(seeded)
    assert totals.participants > 100 and totals.records >= 12
    count = Experiment.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Experiment.objects.count() == count
