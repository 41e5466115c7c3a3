"""Every form, given bad input, says what is wrong in Dutch and changes nothing.

"Nothing changed" is checked against a snapshot of the register (persons, roles, invitations,
outgoing mail, the network's profile and principles) taken before the request.
"""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.core import mail
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from ecosystem.models import Invitation, Membership, Network, OutgoingEmail, Person, Role, User
from tests.conftest import World

TODAY = timezone.localdate()
TOMORROW = TODAY + datetime.timedelta(days=1)
YESTERDAY = TODAY - datetime.timedelta(days=1)


def snapshot() -> dict:
    return {
        "persons": sorted(Person.objects.values_list("pk", "full_name", "email", "user_id")),
        "memberships": sorted(Membership.objects.values_list("pk", "person_id", "network_id", "role", "end_date")),
        "invitations": sorted(Invitation.objects.values_list("pk", "accepted_at", "revoked_at")),
        "outbox": OutgoingEmail.objects.count(),
        "users": User.objects.count(),
        "networks": [
            (model_to_dict(n), [(p.text, p.archived_at) for p in n.principles.order_by("pk")])
            for n in Network.objects.order_by("pk")
        ],
    }


@pytest.fixture
def unchanged(world: World):
    """Asserts after the test that the register is exactly as it was before."""
    before = snapshot()
    yield
    assert snapshot() == before
    assert mail.outbox == []


def _url(name: str, world: World, **kwargs) -> str:
    return reverse(name, kwargs={"network_slug": world.network.slug, **kwargs})


def _text(response) -> str:
    """The page as a person reads it: tags removed, entities such as &#x27; decoded."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


# --- Network profile -----------------------------------------------------------------------------


def _profile(world: World, **changes) -> dict:
    data = {
        "name": world.network.name,
        "site": "",
        "target_group": "",
        "mission": "",
        "vision": "",
        "governance_form": world.network.governance_form,
        "lead_applicant": "",
        "funding_programme": "",
        "co_financing_rate": "50",
        "principles": "Learn by doing",
    }
    data.update(changes)
    return data


def test_network_edit_needs_a_name(world: World, unchanged):
    response = world.client("coordinator").post(_url("network_edit", world), _profile(world, name=""))

    assert response.status_code == 200
    assert "Dit veld is verplicht." in _text(response)


def test_network_edit_refuses_a_co_financing_rate_above_100(world: World, unchanged):
    response = world.client("coordinator").post(
        _url("network_edit", world), _profile(world, co_financing_rate="150", mission="Nieuwe missie")
    )

    assert response.status_code == 200
    assert "Zorg ervoor dat deze waarde hoogstens 100 is." in _text(response)


def test_network_edit_refuses_a_principle_twice_and_saves_nothing_else(world: World, unchanged):
    response = world.client("coordinator").post(
        _url("network_edit", world),
        _profile(
            world,
            name="Klooz hernoemd",
            mission="Nieuwe missie",
            principles="Learn by doing\nSamen sterk\nlearn  BY doing",
        ),
    )

    assert response.status_code == 200
    assert "Elk principe mag maar één keer voorkomen." in _text(response)
    # The form keeps what was typed; the page around it shows the saved name, not the refused one.
    assert 'value="Klooz hernoemd"' in response.content.decode()
    assert "<title>Profiel bewerken · Klooz ·" in response.content.decode()


def test_network_edit_accepts_good_input(world: World):
    """The control for the tests above: the same form with good input does save."""
    response = world.client("coordinator").post(
        _url("network_edit", world), _profile(world, mission="Samen leren", principles="Learn by doing\nSamen sterk")
    )

    assert response.status_code == 302
    world.network.refresh_from_db()
    assert world.network.mission == "Samen leren"
    assert list(world.network.principles.filter(archived_at__isnull=True).values_list("text", flat=True)) == [
        "Learn by doing",
        "Samen sterk",
    ]


# --- Add a person --------------------------------------------------------------------------------


def _person(**changes) -> dict:
    data = {
        "full_name": "Nora Nieuwkomer",
        "email": "nora@example.test",
        "phone": "",
        "affiliation": "",
        "role": Role.OBSERVER,
        "start_date": TODAY.isoformat(),
    }
    data.update(changes)
    return data


def _add(world: World, data: dict, capture):
    with capture(execute=True):
        return world.client("coordinator").post(_url("member_add", world), data)


def test_add_person_needs_a_name(world: World, unchanged, django_capture_on_commit_callbacks):
    response = _add(world, _person(full_name="", send_invitation="on"), django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "Dit veld is verplicht." in _text(response)


def test_add_person_refuses_an_invalid_email(world: World, unchanged, django_capture_on_commit_callbacks):
    response = _add(world, _person(email="nora-at-example"), django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "Voer een geldig e-mailadres in." in _text(response)


def test_add_person_needs_an_email_for_an_invitation(world: World, unchanged, django_capture_on_commit_callbacks):
    response = _add(world, _person(email="", send_invitation="on"), django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "Voor een uitnodiging is een e-mailadres nodig." in _text(response)


def test_add_person_refuses_a_start_date_in_the_future(world: World, unchanged, django_capture_on_commit_callbacks):
    response = _add(
        world, _person(start_date=TOMORROW.isoformat(), send_invitation="on"), django_capture_on_commit_callbacks
    )

    assert response.status_code == 200
    assert "Een rol kan niet in de toekomst beginnen." in _text(response)


def test_add_person_refuses_a_role_the_person_already_holds(
    world: World, unchanged, django_capture_on_commit_callbacks
):
    response = _add(
        world,
        _person(full_name="Coalition Person", email="coalition@example.test", role=Role.COALITION_MEMBER),
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 200
    assert "Coalition Person heeft in dit netwerk al de rol coalitielid (kerngroep)." in _text(response)


def test_add_person_refuses_an_unknown_role(world: World, unchanged, django_capture_on_commit_callbacks):
    response = _add(world, _person(role="boss"), django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "Selecteer een geldige keuze. boss is geen beschikbare keuze." in _text(response)


def test_add_person_keeps_what_was_typed(world: World, django_capture_on_commit_callbacks):
    response = _add(
        world, _person(email="", affiliation="Bib Klooz", send_invitation="on"), django_capture_on_commit_callbacks
    )

    assert response.status_code == 200
    assert 'value="Nora Nieuwkomer"' in response.content.decode()
    assert 'value="Bib Klooz"' in response.content.decode()


# --- Give a role ---------------------------------------------------------------------------------


def _give(world: World, **data):
    return world.client("coordinator").post(_url("role_give", world), {"start_date": TODAY.isoformat(), **data})


def test_give_role_refuses_a_role_already_held(world: World, unchanged):
    response = _give(world, person=world.persons["coalition"].pk, role=Role.COALITION_MEMBER)

    assert response.status_code == 200
    assert "Coalition Person heeft in dit netwerk al de rol coalitielid (kerngroep)." in _text(response)


def test_give_role_refuses_an_unknown_role(world: World, unchanged):
    response = _give(world, person=world.persons["coalition"].pk, role="boss")

    assert response.status_code == 200
    assert "Selecteer een geldige keuze. boss is geen beschikbare keuze." in _text(response)


def test_give_role_refuses_a_person_of_another_network(world: World, unchanged):
    response = _give(world, person=world.persons["outsider"].pk, role=Role.OBSERVER)

    assert response.status_code == 200
    assert "Selecteer een geldige keuze. Deze keuze is niet beschikbaar." in _text(response)
    assert not world.persons["outsider"].memberships.filter(network=world.network).exists()


def test_give_role_refuses_a_start_date_in_the_future(world: World, unchanged):
    response = _give(world, person=world.persons["coalition"].pk, role=Role.OBSERVER, start_date=TOMORROW.isoformat())

    assert response.status_code == 200
    assert "Een rol kan niet in de toekomst beginnen." in _text(response)


def test_give_role_accepts_good_input(world: World):
    """The control: the same form gives a role that is not held yet."""
    response = _give(world, person=world.persons["coalition"].pk, role=Role.OBSERVER)

    assert response.status_code == 302
    assert world.persons["coalition"].memberships.active().filter(role=Role.OBSERVER).exists()


# --- End a role ----------------------------------------------------------------------------------


def _end(world: World, membership: Membership, end_date: str):
    client = world.client("coordinator")
    response = client.post(_url("role_end", world, membership_id=membership.pk), {"end_date": end_date})
    assert response.status_code == 302
    assert response.url == _url("members", world)
    return client.get(response.url)


def test_end_role_refuses_an_end_before_the_start(world: World, unchanged):
    membership = world.persons["observer"].memberships.get()

    page = _end(world, membership, YESTERDAY.isoformat())

    assert "Een rol kan niet eindigen voordat hij begonnen is." in _text(page)


def test_end_role_refuses_an_end_in_the_future(world: World, unchanged):
    membership = world.persons["observer"].memberships.get()

    page = _end(world, membership, TOMORROW.isoformat())

    assert "Een rol kan niet in de toekomst eindigen; beëindig hem op de dag dat hij afloopt." in _text(page)


def test_end_role_refuses_a_date_that_is_no_date(world: World, unchanged):
    membership = world.persons["observer"].memberships.get()

    page = _end(world, membership, "gisteren")

    assert "Voer een geldige datum in." in _text(page)


def test_end_role_keeps_the_last_coordinator(world: World, unchanged):
    membership = world.persons["coordinator"].memberships.get()

    page = _end(world, membership, TODAY.isoformat())

    assert "Een netwerk heeft minstens één coördinator nodig: geef de rol eerst aan iemand anders." in _text(page)
    assert page.status_code == 200  # the coordinator still manages the members page


def test_end_role_of_another_network_is_not_found(world: World, unchanged):
    membership = world.persons["outsider"].memberships.get()

    response = world.client("coordinator").post(
        _url("role_end", world, membership_id=membership.pk), {"end_date": TODAY.isoformat()}
    )

    assert response.status_code == 404


# --- Invitation acceptance -----------------------------------------------------------------------


@pytest.fixture
def invitation_link(world: World, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        world.client("coordinator").post(_url("member_add", world), _person(send_invitation="on"))
    link = re.search(r"http://127.0.0.1:8000(/invitation/[\w-]+/)", mail.outbox[0].body).group(1)
    mail.outbox.clear()
    return link


@pytest.mark.parametrize(
    ("password1", "password2", "message"),
    [
        ("", "", "Dit veld is verplicht."),
        ("Zomer-aan-de-Maas-2026", "Zomer-aan-de-Maas-2027", "De twee wachtwoorden zijn niet gelijk."),
        ("password123", "password123", "Dit wachtwoord is te algemeen."),
        ("k0rt!", "k0rt!", "Dit wachtwoord is te kort. Het moet minstens 8 tekens bevatten."),
        ("73019482615", "73019482615", "Dit wachtwoord bevat alleen cijfers."),
    ],
    ids=["empty", "differ", "common", "short", "numeric"],
)
def test_invitation_refuses_a_bad_password(client, invitation_link: str, password1, password2, message):
    before = snapshot()

    response = client.post(invitation_link, {"password1": password1, "password2": password2})

    assert response.status_code == 200
    assert message in _text(response)
    assert snapshot() == before
    assert "_auth_user_id" not in client.session


# --- The same messages in English ----------------------------------------------------------------


def test_the_errors_are_in_english_after_switching_language(
    world: World, unchanged, django_capture_on_commit_callbacks
):
    client = world.client("coordinator")
    client.cookies["django_language"] = "en"

    with django_capture_on_commit_callbacks(execute=True):
        no_email = client.post(_url("member_add", world), _person(email="", send_invitation="on"))
        twice = client.post(
            _url("role_give", world),
            {"person": world.persons["coalition"].pk, "role": Role.COALITION_MEMBER, "start_date": TODAY.isoformat()},
        )
        rate = client.post(_url("network_edit", world), _profile(world, co_financing_rate="150"))

    assert "An invitation needs an e-mail address." in _text(no_email)
    assert "Voor een uitnodiging" not in _text(no_email)
    assert "Coalition Person already holds the role coalition member in this network." in _text(twice)
    assert "Ensure this value is less than or equal to 100." in _text(rate)
