"""The permission vocabulary: the role table, its store, and what each persona may do."""

from __future__ import annotations

import pytest

from ecosystem import services
from ecosystem.models import Network, Role
from ecosystem.permissions import (
    ALL_PERMISSIONS,
    CHANGE_NETWORK,
    MANAGE_MEMBERS,
    ROLE_PERMISSIONS,
    VIEW_CONTACT_DETAILS,
    VIEW_MEMBERS,
    VIEW_NETWORK,
    can,
    require,
    visible,
)
from tests.conftest import PERSONA_ROLES
from tests.factories import make_person


def test_every_role_has_a_row_in_the_table():
    assert set(ROLE_PERMISSIONS) == set(Role.values)


def test_a_funder_holds_only_read_rights_and_no_contact_details():
    funder = ROLE_PERMISSIONS[Role.FUNDER]
    assert funder, "a funder must at least read the network"
    assert all(p.startswith("view_") for p in funder), funder
    assert VIEW_CONTACT_DETAILS not in funder


@pytest.mark.django_db
def test_every_permission_in_the_table_exists_on_the_network_model():
    codenames = {p.codename for p in _network_permissions()}
    assert codenames >= ALL_PERMISSIONS


@pytest.mark.parametrize("persona", [*PERSONA_ROLES, "outsider"])
def test_each_persona_holds_exactly_what_the_table_gives(world, persona):
    user = world.user(persona)
    role = PERSONA_ROLES.get(persona)
    expected = ROLE_PERMISSIONS[role] if role else frozenset()
    held = {action for action in ALL_PERMISSIONS if can(user, action, world.network)}
    assert held == expected


def test_visible_limits_networks_to_those_the_user_belongs_to(world):
    assert list(visible(world.user("funder"), Network.objects.all())) == [world.network]
    assert list(visible(world.user("outsider"), Network.objects.all())) == [world.other_network]


def test_anonymous_sees_nothing_and_can_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not visible(anonymous, Network.objects.all()).exists()
    assert not can(anonymous, VIEW_NETWORK, world.network)


def test_an_inactive_user_loses_every_right(world):
    user = world.user("coordinator")
    user.is_active = False
    user.save()
    assert not can(user, VIEW_NETWORK, world.network)
    assert not visible(user, Network.objects.all()).exists()


def test_a_superuser_gets_no_network_rights_from_being_superuser(world):
    user = world.user("outsider")
    user.is_superuser = True
    user.save()
    assert not can(user, VIEW_NETWORK, world.network)
    assert world.network not in visible(user, Network.objects.all())


def test_require_raises_permission_denied(world):
    from django.core.exceptions import PermissionDenied

    require(world.user("coordinator"), CHANGE_NETWORK, world.network)
    with pytest.raises(PermissionDenied):
        require(world.user("funder"), CHANGE_NETWORK, world.network)


def test_can_refuses_an_unknown_action(world):
    with pytest.raises(ValueError):
        can(world.user("coordinator"), "launch_rockets", world.network)


def test_roles_add_up_and_ending_one_removes_only_its_rights(world):
    person = world.persons["funder"]
    user = world.user("funder")
    coordinator_role = services.give_role(person=person, network=world.network, role=Role.COORDINATOR, by=None)
    assert can(user, MANAGE_MEMBERS, world.network)
    services.end_role(membership=coordinator_role, by=world.user("coordinator"))
    assert not can(user, MANAGE_MEMBERS, world.network)
    assert not can(user, VIEW_MEMBERS, world.network)
    assert can(user, VIEW_NETWORK, world.network)


def test_rights_in_one_network_do_not_leak_into_another(world):
    person = world.persons["outsider"]
    services.give_role(person=person, network=world.network, role=Role.FUNDER, by=None)
    user = world.user("outsider")
    assert can(user, VIEW_MEMBERS, world.other_network)
    assert not can(user, VIEW_MEMBERS, world.network)


def test_a_person_without_login_gets_rights_when_the_login_is_linked(world):
    from tests.factories import make_user

    person = make_person(world.network, Role.COALITION_MEMBER, login=False)
    user = make_user("late@example.test")
    assert not can(user, VIEW_NETWORK, world.network)
    services.link_user(person=person, user=user)
    assert can(user, VIEW_MEMBERS, world.network)


def _network_permissions():
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    return Permission.objects.filter(content_type=ContentType.objects.get_for_model(Network))


def test_sync_all_permissions_restores_rights_after_the_table_changed(world):
    from guardian.shortcuts import remove_perm

    from ecosystem.permissions import sync_all_permissions

    user = world.user("coalition")
    remove_perm(f"ecosystem.{VIEW_MEMBERS}", user, world.network)  # as if the right were new in this release
    assert not can(user, VIEW_MEMBERS, world.network)
    sync_all_permissions()
    assert can(user, VIEW_MEMBERS, world.network)
