"""An ended role stops working on the person's very next request, and stays on record.

The person keeps their session; what changes is what the session may see. A person with two roles
who loses one keeps the other's rights.
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ecosystem import services
from ecosystem.models import Membership, Person, Role
from ecosystem.permissions import VIEW_MEMBERS, VIEW_NETWORK, can
from tests.conftest import World
from tests.factories import PASSWORD, make_person

MEMBERS = reverse("members", kwargs={"network_slug": "klooz"})
NETWORK = reverse("network_detail", kwargs={"network_slug": "klooz"})


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the login rate limits live in the cache
    yield
    cache.clear()


def _logged_in(email: str) -> Client:
    """A browser session opened through the real login form."""
    client = Client()
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _acting_role_line(response) -> str:
    """The "you act here as" line under the network's name, as text."""
    line = response.content.decode().split('id="acting-role"', 1)[1].split("</p>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", line.split(">", 1)[1]).split())


def _end_through_members_page(world: World, membership: Membership) -> Client:
    coordinator = world.client("coordinator")
    response = coordinator.post(
        reverse("role_end", kwargs={"network_slug": "klooz", "membership_id": membership.pk}),
        {"end_date": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    assert response.url == MEMBERS
    return coordinator


def test_a_member_loses_the_network_on_the_next_request(world: World):
    member = _logged_in("coalition@example.test")
    assert member.get(MEMBERS).status_code == 200
    assert member.get(NETWORK).status_code == 200
    membership = world.persons["coalition"].memberships.get()

    _end_through_members_page(world, membership)

    assert member.get(MEMBERS).status_code == 404
    assert member.get(NETWORK).status_code == 404
    home = member.get(reverse("home"))
    assert home.status_code == 200  # still logged in, just without a role here
    assert "Klooz" not in home.content.decode()
    assert "Je hebt nog in geen enkel netwerk een rol." in home.content.decode()


def test_the_coordinator_sees_the_role_ended(world: World):
    membership = world.persons["coalition"].memberships.get()

    coordinator = _end_through_members_page(world, membership)

    page = coordinator.get(MEMBERS).content.decode()
    assert "De rol coalitielid (kerngroep) van Coalition Person is beëindigd." in page
    assert "Beëindigde rollen" in page
    assert "Coalition Person — coalitielid (kerngroep)" in page


def test_the_ended_role_stays_on_record_with_its_history(world: World):
    membership = world.persons["coalition"].memberships.get()

    _end_through_members_page(world, membership)

    membership.refresh_from_db()
    assert membership.end_date == timezone.localdate()
    assert not membership.is_active
    history = list(membership.history.order_by("history_date", "history_id"))
    assert [h.history_type for h in history] == ["+", "~"]
    assert history[0].end_date is None
    assert history[-1].end_date == timezone.localdate()
    assert history[-1].history_user == world.user("coordinator")


def test_the_rights_are_gone_from_the_permission_store(world: World):
    user = world.user("coalition")
    membership = world.persons["coalition"].memberships.get()

    _end_through_members_page(world, membership)

    assert not can(user, VIEW_NETWORK, world.network)
    assert not can(user, VIEW_MEMBERS, world.network)
    # Nothing spilt over to the other network.
    assert can(world.user("outsider"), VIEW_MEMBERS, world.other_network)


def test_a_person_with_two_roles_keeps_the_other(world: World):
    frida = make_person(world.network, Role.COORDINATOR, name="Frida Financier", email="frida@example.test")
    services.give_role(person=frida, network=world.network, role=Role.FUNDER, by=world.user("coordinator"))
    session = _logged_in("frida@example.test")
    assert session.get(MEMBERS).status_code == 200
    assert session.get(reverse("network_edit", kwargs={"network_slug": "klooz"})).status_code == 200

    _end_through_members_page(world, frida.memberships.get(role=Role.COORDINATOR))

    assert session.get(MEMBERS).status_code == 403
    assert session.get(reverse("network_edit", kwargs={"network_slug": "klooz"})).status_code == 403
    page = session.get(NETWORK)
    assert page.status_code == 200
    assert _acting_role_line(page) == "Je handelt hier als: financier"
    assert frida.memberships.active().get().role == Role.FUNDER
    assert frida.memberships.get(role=Role.COORDINATOR).end_date == timezone.localdate()


def test_the_acting_role_line_reads_funder_in_english(world: World):
    frida = make_person(world.network, Role.COORDINATOR, name="Frida Financier", email="frida@example.test")
    services.give_role(person=frida, network=world.network, role=Role.FUNDER, by=world.user("coordinator"))
    session = _logged_in("frida@example.test")
    session.cookies["django_language"] = "en"
    assert _acting_role_line(session.get(NETWORK)) == "You act here as: coordinator, funder"

    _end_through_members_page(world, frida.memberships.get(role=Role.COORDINATOR))

    assert _acting_role_line(session.get(NETWORK)) == "You act here as: funder"


def test_an_ended_role_cannot_be_ended_twice(world: World):
    membership = world.persons["observer"].memberships.get()
    _end_through_members_page(world, membership)

    response = world.client("coordinator").post(
        reverse("role_end", kwargs={"network_slug": "klooz", "membership_id": membership.pk}),
        {"end_date": timezone.localdate().isoformat()},
    )

    assert response.status_code == 404
    assert membership.history.count() == 2


def test_a_new_role_brings_the_network_back(world: World):
    member = _logged_in("coalition@example.test")
    person = world.persons["coalition"]
    _end_through_members_page(world, person.memberships.get())
    assert member.get(MEMBERS).status_code == 404

    # No longer a member, the person is named again through "add a person", by e-mail address.
    response = world.client("coordinator").post(
        reverse("member_add", kwargs={"network_slug": "klooz"}),
        {
            "full_name": "Coalition Person",
            "email": "coalition@example.test",
            "role": Role.BROAD_PARTNER,
            "start_date": timezone.localdate().isoformat(),
        },
    )

    assert response.status_code == 302
    assert member.get(MEMBERS).status_code == 200
    # One person, not a duplicate; the ended row stays beside the new one.
    assert Person.objects.filter(email="coalition@example.test").count() == 1
    assert sorted(person.memberships.values_list("role", "end_date")) == [
        (Role.BROAD_PARTNER, None),
        (Role.COALITION_MEMBER, timezone.localdate()),
    ]
