"""The admin shows decisions to a superuser and changes none of them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from decisions.models import AnswerKind
from ecosystem.models import User
from tests.decisions.factories import answer, make_round

READ_ONLY = ["proposal", "proposalversion", "consentround", "clarifyingquestion", "reaction", "digestitem"]


@pytest.fixture
def admin_client_(council) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser(email="root@example.test", password="x"))
    return client


@pytest.mark.parametrize("model", [*READ_ONLY, "decisionsettings", "notificationpreference"])
def test_every_decisions_list_opens(admin_client_, model):
    assert admin_client_.get(reverse(f"admin:decisions_{model}_changelist")).status_code == 200


def test_a_round_is_read_not_changed(council, admin_client_):
    round = make_round(council)
    answer(council, round, "member2", AnswerKind.OBJECTION, "Not on Wednesdays.")
    for model, pk in [("proposal", round.proposal_id), ("consentround", round.pk)]:
        page = admin_client_.get(reverse(f"admin:decisions_{model}_change", args=[pk]))
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()
    assert admin_client_.get(reverse("admin:decisions_proposal_add")).status_code == 403
    assert admin_client_.post(reverse("admin:decisions_consentround_delete", args=[round.pk])).status_code == 403


def test_decision_settings_are_saved_through_the_service(council, admin_client_):
    response = admin_client_.post(
        reverse("admin:decisions_decisionsettings_add"),
        {"network": council.network.pk, "quorum_fraction": "0.75", "review_after_days": "90"},
    )
    assert response.status_code == 302
    assert council.network.decision_settings.quorum_fraction == pytest.approx(0.75)
