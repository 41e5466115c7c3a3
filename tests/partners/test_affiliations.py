"""Persons and partners: a person named in their own right, linked to organisations or a partner alone."""

from __future__ import annotations

from django.urls import reverse

from ecosystem.models import Role
from partners.models import Affiliation, Partnership
from tests.factories import make_partnership, make_person


def test_a_coordinator_links_a_member_to_a_partner_with_a_function(world):
    partnership = make_partnership(world.network, "Jeugdhuis")
    person = world.persons["broad_partner"]
    url = reverse("partner_affiliate", args=["klooz", partnership.pk])
    response = world.client("coordinator").post(url, {"person": person.pk, "function": "jeugdwerker"})
    assert response.status_code == 302
    affiliation = Affiliation.objects.get(person=person, organisation=partnership.organisation)
    assert affiliation.function == "jeugdwerker"
    detail = world.client("coalition").get(reverse("partner_detail", args=["klooz", partnership.pk]))
    assert "Broad_Partner Person" in detail.content.decode() and "jeugdwerker" in detail.content.decode()


def test_a_person_of_another_network_cannot_be_linked(world):
    partnership = make_partnership(world.network, "Jeugdhuis")
    url = reverse("partner_affiliate", args=["klooz", partnership.pk])
    response = world.client("coordinator").post(url, {"person": world.persons["outsider"].pk})
    assert response.status_code == 200
    assert not Affiliation.objects.exists()


def test_a_person_with_several_organisations_keeps_them_all(world):
    person = make_person(world.network, Role.COALITION_MEMBER, name="Hanne")
    client = world.client("coordinator")
    for name in ("School", "Bibliotheek"):
        partnership = make_partnership(world.network, name)
        client.post(reverse("partner_affiliate", args=["klooz", partnership.pk]), {"person": person.pk})
    assert sorted(person.affiliations.values_list("organisation__name", flat=True)) == ["Bibliotheek", "School"]


def test_an_individual_person_becomes_a_partner_in_their_own_right(world):
    person = world.persons["facilitator"]
    client = world.client("coordinator")
    response = client.post(
        reverse("partner_register", args=["klooz"]),
        {"person": person.pk, "type": "other", "status": "active", "since": "2026-01-05"},
    )
    assert response.status_code == 302
    partnership = Partnership.objects.get(network=world.network, person=person)
    assert partnership.organisation is None and partnership.name == "Facilitator Person"


def test_registering_needs_either_an_organisation_or_a_person_not_both(world):
    client = world.client("coordinator")
    client.cookies["django_language"] = "en"
    url = reverse("partner_register", args=["klooz"])
    for data in ({}, {"name": "Club", "person": world.persons["facilitator"].pk}):
        response = client.post(url, {"type": "other", "status": "active", "since": "2026-01-05", **data})
        assert response.status_code == 200
        assert "either an organisation" in response.content.decode()
    assert not Partnership.objects.exists()
