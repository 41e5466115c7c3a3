"""A superuser who moves a person's login in the admin moves the rights with it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ecosystem import services
from ecosystem.models import User
from ecosystem.permissions import MANAGE_MEMBERS, VIEW_NETWORK, rights_in
from tests.conftest import World


@pytest.fixture
def root(world: World) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser(email="root@example.test", password="x"))
    return client


def _change_login(root: Client, person, user: User | None):
    return root.post(
        reverse("admin:ecosystem_person_change", args=[person.pk]),
        {
            "full_name": person.full_name,
            "email": person.email,
            "phone": "",
            "affiliation": "",
            "user": user.pk if user else "",
        },
    )


def test_moving_a_login_in_the_admin_takes_the_rights_from_the_old_login(world: World, root: Client):
    coordinator = world.persons["coordinator"]
    old = world.user("coordinator")
    new = User.objects.create_user(email="new-login@example.test", password="x")

    response = _change_login(root, coordinator, new)

    assert response.status_code == 302
    assert rights_in(old, world.network) == frozenset()
    assert MANAGE_MEMBERS in rights_in(new, world.network)
    old_client = Client()
    old_client.force_login(old)
    assert old_client.get(reverse("network_detail", args=[world.network.slug])).status_code == 404


def test_unlinking_a_login_in_the_admin_leaves_it_no_rights(world: World, root: Client):
    funder = world.persons["funder"]
    old = world.user("funder")

    _change_login(root, funder, None)

    funder.refresh_from_db()
    assert funder.user is None
    assert VIEW_NETWORK not in rights_in(old, world.network)


def test_a_login_of_another_person_is_refused(world: World):
    with pytest.raises(ValidationError):
        services.set_login(person=world.persons["funder"], user=world.user("coordinator"))

    assert MANAGE_MEMBERS in rights_in(world.user("coordinator"), world.network)
