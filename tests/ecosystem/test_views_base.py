"""The shared page and action bases: rights read once per request; an action is all or nothing."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ecosystem import services
from ecosystem.models import Membership, Person
from ecosystem.permissions import MANAGE_MEMBERS, VIEW_NETWORK, Rights, rights_in
from tests.conftest import World
from tests.decisions.factories import make_proposal

GUARDIAN_TABLE = "guardian_userobjectpermission"


def _rights_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return sum(1 for query in captured.captured_queries if GUARDIAN_TABLE in query["sql"])


def test_rights_in_is_the_set_a_template_can_ask_by_name(world: World):
    rights = rights_in(world.user("coordinator"), world.network)

    assert isinstance(rights, Rights)
    assert MANAGE_MEMBERS in rights and rights.manage_members is True
    assert rights_in(world.user("funder"), world.network).manage_members is False
    assert rights_in(world.user("outsider"), world.network) == frozenset()
    with pytest.raises(AttributeError):
        rights.manage_everything  # noqa: B018 - a typo is an error, never a silent "no"


@pytest.mark.parametrize("page", ["network_detail", "members", "proposal_list"])
def test_a_page_reads_the_rights_once(world: World, page: str):
    url = reverse(page, kwargs={"network_slug": world.network.slug})

    assert _rights_queries(world.client("coordinator"), url) == 1


def test_the_proposal_page_reads_the_rights_once(world: World):
    proposal = make_proposal(world, by="coordinator")
    url = reverse("proposal_detail", args=[world.network.slug, proposal.pk])

    assert _rights_queries(world.client("coordinator"), url) == 1


def test_a_role_ended_between_two_requests_stops_at_the_next(world: World):
    client = world.client("coordinator")
    url = reverse("members", kwargs={"network_slug": world.network.slug})
    assert client.get(url).status_code == 200

    membership = Membership.objects.active().get(person=world.persons["coordinator"], network=world.network)
    services.give_role(person=world.persons["coalition"], network=world.network, role="coordinator", by=None)
    services.end_role(membership=membership, by=None)

    assert client.get(url).status_code == 404
    assert VIEW_NETWORK not in rights_in(world.user("coordinator"), world.network)


def test_a_refused_invitation_adds_nobody(world: World, monkeypatch):
    """Adding a person and inviting them is one service in one transaction."""

    def refuse(**kwargs):
        raise ValidationError("The mail server refuses this address.")

    monkeypatch.setattr(services.members, "invite_person", refuse)
    url = reverse("member_add", kwargs={"network_slug": world.network.slug})
    response = world.client("coordinator").post(
        url,
        {
            "full_name": "Nieuwe Persoon",
            "email": "nieuw@example.test",
            "role": "coalition",
            "start_date": "2026-01-01",
            "send_invitation": "on",
        },
    )

    assert response.status_code == 200
    assert "The mail server refuses this address." in response.content.decode()
    assert not Person.objects.filter(email="nieuw@example.test").exists()
    assert not mail.outbox
