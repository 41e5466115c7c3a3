"""What each page shows, to whom, and that its query count does not grow with the data."""

from __future__ import annotations

from django.urls import reverse

from ecosystem import services
from ecosystem.models import Role, Stage
from tests.factories import make_network, make_person
from tests.queries import assert_constant_queries


def test_home_lists_my_networks_with_my_roles(world):
    services.give_role(person=world.persons["outsider"], network=world.network, role=Role.FUNDER, by=None)
    response = world.client("outsider").get(reverse("home"))
    content = response.content.decode()
    assert "Klooz" in content and "Genk" in content
    assert "financier" in content and "coalitielid" in content


def test_home_says_so_when_i_hold_no_role(world):
    from django.test import Client

    from tests.factories import make_user

    client = Client()
    client.force_login(make_user("nobody@example.test"))
    assert "Je hebt nog in geen enkel netwerk een rol" in client.get(reverse("home")).content.decode()


def test_network_page_shows_the_profile_and_the_acting_role(world):
    services.change_network_stage(network=world.network, to_stage=Stage.CATALYSING, reason="Ready", by=None)
    response = world.client("funder").get(reverse("network_detail", args=["klooz"]))
    content = response.content.decode()
    assert "Katalyseren en initiëren" in content
    assert "Ready" in content
    assert "Je handelt hier als: financier" in content
    assert reverse("network_edit", args=["klooz"]) not in content  # no edit button for a funder
    assert reverse("members", args=["klooz"]) not in content


def test_the_coordinator_sees_the_edit_button(world):
    content = world.client("coordinator").get(reverse("network_detail", args=["klooz"])).content.decode()
    assert reverse("network_edit", args=["klooz"]) in content


def test_the_profile_form_saves_and_redirects(world):
    client = world.client("coordinator")
    url = reverse("network_edit", args=["klooz"])
    form = client.get(url).context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update(name="Klooz Borgloon", co_financing_rate="50", principles="Eerst\nTweede")
    response = client.post(url, data)
    assert response.status_code == 302
    world.network.refresh_from_db()
    assert world.network.name == "Klooz Borgloon"
    assert [p.text for p in world.network.principles.filter(archived_at__isnull=True)] == ["Eerst", "Tweede"]


def test_members_page_hides_contact_details_from_a_broad_partner(world):
    coordinator_view = world.client("coordinator").get(reverse("members", args=["klooz"])).content.decode()
    partner_view = world.client("broad_partner").get(reverse("members", args=["klooz"])).content.decode()
    email = world.persons["coalition"].email
    assert email in coordinator_view
    assert email not in partner_view
    assert world.persons["coalition"].phone not in partner_view
    assert "Coalition Person" in partner_view
    assert "Persoon toevoegen" in coordinator_view and "Persoon toevoegen" not in partner_view


def test_members_page_does_not_show_another_networks_people(world):
    content = world.client("coordinator").get(reverse("members", args=["klooz"])).content.decode()
    assert "Outsider Person" not in content


def test_an_object_id_from_another_network_is_not_found_under_mine(world):
    genk_membership = world.persons["outsider"].memberships.get()
    client = world.client("coordinator")
    response = client.post(reverse("role_end", args=["klooz", genk_membership.pk]), {"end_date": "2026-01-01"})
    assert response.status_code == 404
    genk_membership.refresh_from_db()
    assert genk_membership.end_date is None
    response = client.post(reverse("person_invite", args=["klooz", world.persons["outsider"].pk]))
    assert response.status_code == 404


# --- Query budgets --------------------------------------------------------------------------------


def test_home_query_count_does_not_grow_with_networks(world):
    client = world.client("coordinator")
    person = world.persons["coordinator"]

    def grow(k):
        for _ in range(k):
            services.give_role(person=person, network=make_network(), role=Role.COALITION_MEMBER, by=None)

    assert_constant_queries(lambda: client.get(reverse("home")), grow, budget=4)


def test_members_page_query_count_does_not_grow_with_members(world):
    client = world.client("coordinator")

    def grow(k):
        for _ in range(k):
            make_person(world.network, Role.BROAD_PARTNER, login=False)

    assert_constant_queries(lambda: client.get(reverse("members", args=["klooz"])), grow, budget=12)


def test_network_page_query_count_does_not_grow_with_principles_and_stage_changes(world):
    client = world.client("coalition")

    def grow(k):
        texts = [p.text for p in world.network.principles.filter(archived_at__isnull=True)]
        services.set_principles(network=world.network, texts=texts + [f"P{len(texts) + i}" for i in range(k)], by=None)
        for i in range(k):
            world.network.refresh_from_db()
            to_stage = Stage.EXPERIMENTATION if world.network.stage == Stage.CATALYSING else Stage.CATALYSING
            services.change_network_stage(network=world.network, to_stage=to_stage, reason=f"step {i}", by=None)

    assert_constant_queries(lambda: client.get(reverse("network_detail", args=["klooz"])), grow, budget=8)
