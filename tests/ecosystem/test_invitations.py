"""Invitations: a coordinator adds a person and invites them; the person sets a password from the link.

The e-mail is written to the outbox with the change and sent after the transaction commits, in Dutch.
The link works once, until it expires, and a newer invitation replaces it.
"""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ecosystem import services
from ecosystem.models import Invitation, Membership, OutgoingEmail, Person, Role, User
from tests.conftest import World
from tests.factories import make_person

NEW_NAME = "Nora Nieuwkomer"
NEW_EMAIL = "nora@example.test"
GOOD_PASSWORD = "Zomer-aan-de-Maas-2026"
LINK = re.compile(r"http://127.0.0.1:8000(/invitation/[\w-]+/)")


def _members(world: World) -> str:
    return reverse("members", kwargs={"network_slug": world.network.slug})


def _add_with_invitation(world: World, capture, *, client: Client | None = None):
    client = client or world.client("coordinator")
    with capture(execute=True):
        response = client.post(
            reverse("member_add", kwargs={"network_slug": world.network.slug}),
            {
                "full_name": NEW_NAME,
                "email": NEW_EMAIL,
                "role": Role.COALITION_MEMBER,
                "start_date": timezone.localdate().isoformat(),
                "send_invitation": "on",
            },
        )
    return response


def _link_in(message) -> str:
    match = LINK.search(message.body)
    assert match, f"no invitation link in the e-mail:\n{message.body}"
    return match.group(1)


@pytest.fixture
def invited(world: World, django_capture_on_commit_callbacks) -> str:
    """Nora is added as a coalition member with an invitation; the path of her link."""
    response = _add_with_invitation(world, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    return _link_in(mail.outbox[0])


def test_it_adds_the_person_with_role_and_sends_one_dutch_invitation(world: World, django_capture_on_commit_callbacks):
    response = _add_with_invitation(world, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response.url == _members(world)
    person = Person.objects.get(email=NEW_EMAIL)
    assert person.full_name == NEW_NAME
    assert person.user is None
    membership = Membership.objects.active().get(person=person, network=world.network)
    assert membership.role == Role.COALITION_MEMBER
    invitation = Invitation.objects.get(person=person)
    assert invitation.network == world.network
    assert invitation.email == NEW_EMAIL
    assert invitation.invited_by == world.persons["coordinator"]
    assert invitation.is_usable

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [NEW_EMAIL]
    assert message.subject == "Je bent uitgenodigd voor Klooz"
    assert f"Hallo {NEW_NAME}," in message.body
    assert "Je hebt een rol in het leerecosysteem Klooz." in message.body
    assert "Coordinator Person nodigt je uit om in te loggen." in message.body
    assert "Kies hier je wachtwoord:" in message.body
    assert "De link werkt één keer" in message.body
    _link_in(message)
    assert OutgoingEmail.objects.get(to=NEW_EMAIL).sent_at is not None


def test_it_confirms_the_invitation_on_the_members_page(world: World, django_capture_on_commit_callbacks):
    client = world.client("coordinator")
    response = _add_with_invitation(world, django_capture_on_commit_callbacks, client=client)

    page = client.get(response.url)
    assert page.status_code == 200
    body = page.content.decode()
    assert f"{NEW_NAME} is nu coalitielid (kerngroep)." in body
    # Invited but without a login yet: the coordinator can send the invitation again.
    person = Person.objects.get(email=NEW_EMAIL)
    assert reverse("person_invite", kwargs={"network_slug": "klooz", "person_id": person.pk}) in body


def test_it_sends_the_mail_only_after_the_change_commits(world: World, django_capture_on_commit_callbacks):
    client = world.client("coordinator")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(
            reverse("member_add", kwargs={"network_slug": world.network.slug}),
            {
                "full_name": NEW_NAME,
                "email": NEW_EMAIL,
                "role": Role.COALITION_MEMBER,
                "start_date": timezone.localdate().isoformat(),
                "send_invitation": "on",
            },
        )
    # Written to the outbox with the change, but nothing is sent before the commit.
    assert mail.outbox == []
    assert OutgoingEmail.objects.get(to=NEW_EMAIL).sent_at is None
    assert len(callbacks) == 1

    callbacks[0]()

    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.get(to=NEW_EMAIL).sent_at is not None


def test_it_sends_no_invitation_when_not_asked(world: World, django_capture_on_commit_callbacks):
    client = world.client("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("member_add", kwargs={"network_slug": world.network.slug}),
            {
                "full_name": NEW_NAME,
                "email": NEW_EMAIL,
                "role": Role.OBSERVER,
                "start_date": timezone.localdate().isoformat(),
            },
        )
    assert response.status_code == 302
    assert Person.objects.filter(email=NEW_EMAIL).exists()
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_it_shows_the_invited_person_a_password_page(invited: str):
    response = Client().get(invited)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Welkom bij Klooz" in body
    assert NEW_NAME in body
    assert NEW_EMAIL in body
    assert "Wachtwoord instellen en inloggen" in body


def test_it_refuses_two_different_passwords(client, invited: str):
    users = User.objects.count()

    response = client.post(invited, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD + "x"})

    assert response.status_code == 200
    assert "De twee wachtwoorden zijn niet gelijk." in response.content.decode()
    assert User.objects.count() == users
    assert Person.objects.get(email=NEW_EMAIL).user is None
    assert Invitation.objects.get(email=NEW_EMAIL).is_usable
    assert "_auth_user_id" not in client.session


def test_it_refuses_a_too_common_password(client, invited: str):
    users = User.objects.count()

    response = client.post(invited, {"password1": "password123", "password2": "password123"})

    assert response.status_code == 200
    assert "Dit wachtwoord is te algemeen." in response.content.decode()
    assert User.objects.count() == users
    assert not EmailAddress.objects.filter(email=NEW_EMAIL).exists()
    assert Invitation.objects.get(email=NEW_EMAIL).is_usable


def test_it_refuses_a_password_like_the_email_address(client, invited: str):
    response = client.post(invited, {"password1": "nora@example", "password2": "nora@example"})

    assert response.status_code == 200
    assert "Het wachtwoord lijkt te veel op de e-mailadres." in response.content.decode()
    assert not User.objects.filter(email=NEW_EMAIL).exists()


def test_it_creates_the_login_and_logs_the_person_in(client, world: World, invited: str):
    response = client.post(invited, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("network_detail", kwargs={"network_slug": "klooz"})
    body = response.content.decode()
    assert f"Welkom, {NEW_NAME}. Je account is klaar." in body
    assert "Je handelt hier als: coalitielid (kerngroep)" in body

    user = User.objects.get(email=NEW_EMAIL)
    assert user.check_password(GOOD_PASSWORD)
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == (NEW_EMAIL, True, True)
    person = Person.objects.get(email=NEW_EMAIL)
    assert person.user == user
    assert Invitation.objects.get(person=person).accepted_at is not None
    assert int(client.session["_auth_user_id"]) == user.pk

    # The rights of the role come with the login: a coalition member reads the members page.
    members = client.get(_members(world))
    assert members.status_code == 200
    assert "Coordinator Person" in members.content.decode()
    # ... but may not manage it.
    assert client.get(reverse("network_edit", kwargs={"network_slug": "klooz"})).status_code == 403


def test_the_new_password_works_on_the_login_form(client, invited: str):
    client.post(invited, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    client.post(reverse("account_logout"))

    response = client.post(reverse("account_login"), {"login": NEW_EMAIL, "password": GOOD_PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("home")


def test_the_link_works_only_once(client, invited: str):
    client.post(invited, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})

    again = Client()
    response = again.get(invited)
    assert response.status_code == 404
    assert "Deze uitnodiging is niet geldig" in response.content.decode()

    response = again.post(invited, {"password1": "Ander-wachtwoord-99", "password2": "Ander-wachtwoord-99"})
    assert response.status_code == 404
    assert User.objects.get(email=NEW_EMAIL).check_password(GOOD_PASSWORD)
    assert "_auth_user_id" not in again.session


def test_an_unknown_token_is_not_valid(client, world: World):
    response = client.get(reverse("accept_invitation", args=["made-up-token"]))

    assert response.status_code == 404
    assert "Deze uitnodiging is niet geldig" in response.content.decode()


def test_an_expired_invitation_is_not_valid(client, invited: str, settings):
    days = settings.INVITATION_VALID_DAYS

    with time_machine.travel(timezone.now() + datetime.timedelta(days=days - 1), tick=False):
        assert client.get(invited).status_code == 200

    with time_machine.travel(timezone.now() + datetime.timedelta(days=days, minutes=1), tick=False):
        response = client.get(invited)
        assert response.status_code == 404
        assert "De link is verlopen" in response.content.decode()
        response = client.post(invited, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
        assert response.status_code == 404
    assert not User.objects.filter(email=NEW_EMAIL).exists()


def test_a_new_invitation_replaces_the_earlier_link(world: World, invited: str, django_capture_on_commit_callbacks):
    person = Person.objects.get(email=NEW_EMAIL)
    client = world.client("coordinator")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("person_invite", kwargs={"network_slug": world.network.slug, "person_id": person.pk}),
            follow=True,
        )

    assert response.status_code == 200
    assert f"Er is een uitnodiging onderweg naar {NEW_EMAIL}." in response.content.decode()
    assert len(mail.outbox) == 2
    newer = _link_in(mail.outbox[1])
    assert newer != invited

    anonymous = Client()
    assert anonymous.get(invited).status_code == 404
    assert anonymous.get(newer).status_code == 200
    first, second = Invitation.objects.filter(person=person).order_by("created_at", "pk")
    assert first.revoked_at is not None
    assert second.is_usable


def test_it_refuses_to_invite_a_person_who_has_a_login(world: World, django_capture_on_commit_callbacks):
    member = world.persons["coalition"]
    client = world.client("coordinator")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("person_invite", kwargs={"network_slug": world.network.slug, "person_id": member.pk}),
            follow=True,
        )

    assert response.status_code == 200
    assert "Coalition Person heeft al een login." in response.content.decode()
    assert not Invitation.objects.filter(person=member).exists()
    assert mail.outbox == []


def test_it_refuses_to_invite_a_person_without_email(world: World, django_capture_on_commit_callbacks):
    membership = services.add_person(
        network=world.network, full_name="Zonder Mail", role=Role.OBSERVER, by=world.user("coordinator")
    )
    client = world.client("coordinator")
    url = reverse("person_invite", kwargs={"network_slug": "klooz", "person_id": membership.person_id})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)

    assert "Zonder Mail heeft geen e-mailadres waarnaar we een uitnodiging kunnen sturen." in (
        response.content.decode()
    )
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_it_does_not_invite_a_person_of_another_network(world: World, django_capture_on_commit_callbacks):
    stranger = make_person(world.other_network, Role.COALITION_MEMBER, name="Gert Genk", login=False)
    client = world.client("coordinator")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("person_invite", kwargs={"network_slug": world.network.slug, "person_id": stranger.pk})
        )

    assert response.status_code == 404
    assert not Invitation.objects.filter(person=stranger).exists()
    assert mail.outbox == []


def test_a_person_whose_role_ended_is_not_invited(world: World, django_capture_on_commit_callbacks):
    person = make_person(world.network, Role.OBSERVER, name="Oud Lid", login=False)
    services.end_role(membership=person.memberships.get(), by=world.user("coordinator"))
    client = world.client("coordinator")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("person_invite", kwargs={"network_slug": world.network.slug, "person_id": person.pk})
        )

    assert response.status_code == 404
    assert not Invitation.objects.filter(person=person).exists()
    assert mail.outbox == []
