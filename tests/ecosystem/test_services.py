"""Services of the shared network model: profile, principles, stages, roles."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ecosystem import services
from ecosystem.models import Membership, Network, Role, Stage, StageChange


def test_a_coordinator_updates_the_profile_and_history_keeps_the_old_value(world):
    services.update_network_profile(network=world.network, by=world.user("coordinator"), site="Het klooster")
    network = Network.objects.get(pk=world.network.pk)
    assert network.site == "Het klooster"
    history = network.history.order_by("history_date")
    assert history.count() >= 2
    assert history.first().site == ""


@pytest.mark.parametrize("persona", ["coalition", "broad_partner", "funder", "facilitator", "observer", "outsider"])
def test_only_a_coordinator_may_change_the_profile(world, persona):
    with pytest.raises(PermissionDenied):
        services.update_network_profile(network=world.network, by=world.user(persona), name="Taken over")
    assert Network.objects.get(pk=world.network.pk).name == "Klooz"


def test_the_stage_is_not_a_profile_field(world):
    with pytest.raises(TypeError):
        services.update_network_profile(network=world.network, by=world.user("coordinator"), stage=Stage.MAINSTREAMING)


def test_principles_keep_their_rows_reorder_and_archive(world):
    coordinator = world.user("coordinator")
    first = services.set_principles(network=world.network, texts=["A", "B", "C"], by=coordinator)
    ids = {p.text: p.pk for p in first}
    kept = services.set_principles(network=world.network, texts=["C", "A", "  D  "], by=coordinator)
    assert [p.text for p in kept] == ["C", "A", "D"]
    assert kept[0].pk == ids["C"] and kept[1].pk == ids["A"]
    archived = world.network.principles.get(pk=ids["B"])
    assert archived.archived_at is not None


def test_duplicate_principles_are_refused_and_nothing_changes(world):
    before = list(world.network.principles.values_list("text", "archived_at"))
    with pytest.raises(ValidationError):
        services.set_principles(network=world.network, texts=["Same", "same"], by=world.user("coordinator"))
    assert list(world.network.principles.values_list("text", "archived_at")) == before


def test_a_stage_change_is_recorded_with_who_when_why_and_evidence(world):
    change = services.change_network_stage(
        network=world.network,
        to_stage=Stage.CATALYSING,
        reason="Partners found",
        evidence="5 partners",
        by=None,
        on_behalf_of=world.persons["coordinator"],
    )
    world.network.refresh_from_db()
    assert world.network.stage == Stage.CATALYSING
    assert (change.from_stage, change.to_stage) == (Stage.HYPOTHESIS, Stage.CATALYSING)
    assert change.changed_by == world.persons["coordinator"]
    assert change.reason == "Partners found" and change.evidence == "5 partners"
    assert abs(change.changed_at - timezone.now()) < datetime.timedelta(minutes=1)


def test_no_login_changes_the_stage_alone_not_even_a_coordinator(world):
    """Only an adopted "change network stage" decision does (its effect acts as the system)."""
    with pytest.raises(PermissionDenied):
        services.change_network_stage(
            network=world.network, to_stage=Stage.CATALYSING, reason="I say so", by=world.user("coordinator")
        )
    assert not StageChange.objects.exists()


@pytest.mark.parametrize(
    ("to_stage", "reason"), [(Stage.HYPOTHESIS, "Again"), (Stage.CATALYSING, "  "), ("nirvana", "Because")]
)
def test_a_stage_change_needs_a_new_known_stage_and_a_reason(world, to_stage, reason):
    with pytest.raises(ValidationError):
        services.change_network_stage(network=world.network, to_stage=to_stage, reason=reason, by=None)
    assert not StageChange.objects.exists()
    assert Network.objects.get(pk=world.network.pk).stage == Stage.HYPOTHESIS


def test_one_active_role_per_person_per_role(world):
    person = world.persons["coalition"]
    with pytest.raises(ValidationError):
        services.give_role(person=person, network=world.network, role=Role.COALITION_MEMBER, by=None)
    assert Membership.objects.filter(person=person, role=Role.COALITION_MEMBER).count() == 1


def test_a_role_can_be_given_again_after_it_ended(world):
    membership = world.persons["observer"].memberships.get()
    services.end_role(membership=membership, by=None)
    again = services.give_role(person=membership.person, network=world.network, role=Role.OBSERVER, by=None)
    assert again.pk != membership.pk
    assert Membership.objects.filter(person=membership.person).count() == 2


def test_the_last_coordinator_cannot_be_ended(world):
    membership = world.persons["coordinator"].memberships.get()
    with pytest.raises(ValidationError):
        services.end_role(membership=membership, by=world.user("coordinator"))
    membership.refresh_from_db()
    assert membership.end_date is None


def test_a_known_email_links_to_the_same_person_across_networks(world):
    outsider = world.persons["outsider"]
    membership = services.add_person(
        network=world.network, full_name="Someone else", email=outsider.email.upper(), role=Role.FUNDER, by=None
    )
    assert membership.person == outsider
    assert outsider.memberships.count() == 2


def test_adding_a_person_whose_login_exists_links_that_login(world):
    from tests.factories import make_user

    user = make_user("has-login@example.test")
    membership = services.add_person(
        network=world.network, full_name="Has Login", email="has-login@example.test", role=Role.OBSERVER, by=None
    )
    assert membership.person.user == user
