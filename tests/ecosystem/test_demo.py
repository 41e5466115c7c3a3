"""The demo network: what a newcomer sees on first start, and that seeding twice changes nothing."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ecosystem import demo
from ecosystem.models import GovernanceForm, Network, Role, Stage

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_seed_demo_twice_leaves_the_same_rows():
    call_command("seed_demo", stdout=io.StringIO())
    first = _row_counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _row_counts() == first


def test_klooz_is_the_network_from_the_seeds():
    demo.build()
    klooz = Network.objects.get(slug="klooz")
    assert klooz.governance_form == GovernanceForm.NAO
    assert "545" in klooz.funding_programme
    assert klooz.co_financing_rate == Decimal("50")
    assert klooz.lead_applicant == "Stad Borgloon"
    assert klooz.stage == Stage.CATALYSING
    assert klooz.stage_changes.count() == 1
    affiliations = set(klooz.memberships.values_list("person__affiliation", flat=True))
    for partner in ["Stad Borgloon", "Link in de Kabel vzw", "Jeugdhuis 't Biejke vzw", "IN-Z vzw", "PIBO Campus vzw"]:
        assert partner in affiliations


def test_seed_demo_prints_the_demo_logins(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    for email in ["coordinator@", "member@", "partner@", "funder@", "facilitator@", "outsider@"]:
        assert f"{email}example.org" in out
    assert demo.DEMO_PASSWORD in out


@pytest.mark.parametrize(
    ("email", "sees_klooz", "role"),
    [
        ("coordinator@example.org", True, Role.COORDINATOR),
        ("member@example.org", True, Role.COALITION_MEMBER),
        ("partner@example.org", True, Role.BROAD_PARTNER),
        ("funder@example.org", True, Role.FUNDER),
        ("facilitator@example.org", True, Role.FACILITATOR),
        ("outsider@example.org", False, Role.COALITION_MEMBER),
    ],
)
def test_each_demo_login_works_with_the_demo_password_and_sees_its_networks(email, sees_klooz, role):
    demo.build()
    client = Client()
    response = client.post(reverse("account_login"), {"login": email, "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")
    klooz = client.get(reverse("network_detail", args=["klooz"]))
    assert klooz.status_code == (200 if sees_klooz else 404)
    genk = client.get(reverse("network_detail", args=["genk"]))
    assert genk.status_code == (404 if sees_klooz else 200)
    network = "klooz" if sees_klooz else "genk"
    with translation.override("nl"):
        label = str(Role(role).label)
    assert label in client.get(reverse("network_detail", args=[network])).content.decode()
