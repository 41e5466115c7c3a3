"""Reach and lessons over time, with totals per experiment, per stage and per network, over a period."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from ecosystem.models import Loop, Stage
from experiments import selectors, services
from experiments.models import Reach, TargetGroup
from tests.experiments.factories import adopted, make_experiment
from tests.helpers import english

TODAY = timezone.localdate()


def _reach(experiment, days_ago: int, participants: int, group=TargetGroup.YOUTH, sessions: int = 1):
    return services.record_reach(
        experiment=experiment,
        target_group=group,
        participants=participants,
        sessions=sessions,
        on=TODAY - datetime.timedelta(days=days_ago),
        by=None,
    )


def test_totals_per_experiment_per_stage_and_per_network_over_a_period(council):
    repair = adopted(council, stage=Stage.EXPERIMENTATION, title="Repair Café workshop")
    maker = make_experiment(council, title="Maker space")
    _reach(repair, 200, 12)
    _reach(repair, 10, 8, group=TargetGroup.NEET, sessions=2)
    _reach(maker, 5, 5)
    network = selectors.reach_totals(council.network)
    assert (network.participants, network.sessions, network.records) == (25, 4, 3)
    assert dict(network.by_target_group) == {
        "young people": 17,
        "young people not in education, employment or training": 8,
    }
    by_stage = {str(label): (p, s) for label, p, s in network.by_stage}
    assert by_stage["Dynamic experimentation"] == (20, 3) and by_stage["Hypothesis and vision forming"] == (5, 1)
    recent = selectors.reach_totals(council.network, start=TODAY - datetime.timedelta(days=30))
    assert recent.participants == 13
    assert (
        selectors.reach_totals(
            council.network, experiment=repair, end=TODAY - datetime.timedelta(days=100)
        ).participants
        == 12
    )


def test_reach_is_a_count_never_in_the_future_and_only_by_the_trekker_or_a_coordinator(world):
    experiment = make_experiment(world)
    with pytest.raises(ValidationError):
        _reach(experiment, -1, 3)
    with pytest.raises(ValidationError):
        services.record_reach(experiment=experiment, target_group="aliens", participants=3, by=None)
    with pytest.raises(PermissionDenied):
        services.record_reach(
            experiment=experiment, target_group=TargetGroup.YOUTH, participants=3, by=world.user("broad_partner")
        )
    assert not Reach.objects.exists()


def test_lessons_are_tagged_by_topic_and_loop_and_a_funder_reads_only_their_counts(council):
    experiment = adopted(council, stage=Stage.CATALYSING)
    services.record_lesson(
        experiment=experiment,
        text="Ask the youth house first.",
        topic="collaboration",
        loop=Loop.DOUBLE,
        by=council.user("coalition"),
    )
    url = reverse("experiment_detail", args=[council.network.slug, experiment.pk])
    member = english(council.client("observer")).get(url).content.decode()
    assert "Ask the youth house first." in member
    funder = english(council.client("funder")).get(url).content.decode()
    assert "Ask the youth house first." not in funder
    assert "about the collaboration: 1" in funder and "double loop: doing the right things: 1" in funder


def test_the_trekker_records_reach_through_the_page(world):
    experiment = make_experiment(world)
    url = reverse("experiment_reach", args=[world.network.slug, experiment.pk])
    data = {"on": TODAY.isoformat(), "target_group": TargetGroup.YOUTH, "participants": "14", "sessions": "2"}
    assert world.client("coalition").post(url, data).status_code == 302
    response = english(world.client("coalition")).post(url, {**data, "participants": "-3"})
    assert "Ensure this value is greater than or equal to 0." in response.content.decode()
    assert Reach.objects.get().participants == 14
