"""The coordinator sets how the network decides; bad input changes nothing."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from decisions import selectors
from decisions.models import DecisionSettings


def test_the_coordinator_sets_quorum_one_voice_and_review_period(world):
    url = reverse("decision_settings", args=["klooz"])
    client = world.client("coordinator")
    assert 'value="50"' in client.get(url).content.decode()
    response = client.post(url, {"quorum_percent": "60", "one_voice_per_organisation": "on", "review_after_days": "90"})
    assert response.status_code == 302
    current = selectors.decision_settings_for(world.network)
    assert (current.quorum_fraction, current.one_voice_per_organisation, current.review_after_days) == (
        Decimal("0.60"),
        True,
        90,
    )


def test_a_quorum_above_100_is_refused_in_dutch_and_nothing_is_saved(world):
    url = reverse("decision_settings", args=["klooz"])
    response = world.client("coordinator").post(url, {"quorum_percent": "150", "review_after_days": "90"})
    assert response.status_code == 200
    assert "Zorg ervoor dat deze waarde hoogstens 100 is." in response.content.decode()
    assert not DecisionSettings.objects.exists()
