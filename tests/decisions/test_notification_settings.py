"""A person chooses how e-mail about proposals reaches them: each message at once, or a daily digest."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from decisions.models import Delivery, NotificationPreference
from tests.factories import make_user


def test_a_member_switches_to_a_daily_digest_and_back(world):
    client = world.client("coalition")
    url = reverse("notification_settings")
    assert client.get(url).status_code == 200
    response = client.post(url, {"delivery": Delivery.DAILY_DIGEST})
    assert response.status_code == 302
    person = world.persons["coalition"]
    assert NotificationPreference.objects.get(person=person).delivery == Delivery.DAILY_DIGEST
    client.post(url, {"delivery": Delivery.IMMEDIATE})
    assert NotificationPreference.objects.get(person=person).delivery == Delivery.IMMEDIATE


def test_the_setting_is_only_ones_own(world):
    world.client("coordinator").post(reverse("notification_settings"), {"delivery": Delivery.DAILY_DIGEST})
    assert list(NotificationPreference.objects.values_list("person", flat=True)) == [world.persons["coordinator"].pk]


def test_a_bad_choice_is_refused_in_dutch_and_saves_nothing(world):
    response = world.client("coalition").post(reverse("notification_settings"), {"delivery": "pigeon"})
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_a_login_without_a_person_is_told_there_is_nothing_to_send(db):
    client = Client()
    client.force_login(make_user("alone@example.test"))
    response = client.get(reverse("notification_settings"))
    assert response.status_code == 200
    assert response.context["form"] is None
