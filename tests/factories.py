"""Test data built through the services, so tests exercise the real rules."""

from __future__ import annotations

import itertools

from allauth.account.models import EmailAddress

from ecosystem import services
from ecosystem.models import Network, Person, User

PASSWORD = "correct-horse-battery-staple"
_seq = itertools.count(1)


def make_network(name: str | None = None, slug: str | None = None, **profile) -> Network:
    n = next(_seq)
    return services.create_network(
        name=name or f"Network {n}", slug=slug or f"network-{n}", principles=["Learn by doing"], **profile
    )


def make_user(email: str) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def make_person(
    network: Network, role: str, *, name: str | None = None, email: str | None = None, login: bool = True
) -> Person:
    """A person with ``role`` in ``network``; with a login unless ``login=False``."""
    n = next(_seq)
    email = email or f"person{n}@example.test"
    membership = services.add_person(
        network=network,
        full_name=name or f"Person {n}",
        email=email,
        phone=f"+32 470 00 00 {n:02d}",
        role=role,
        by=None,
    )
    person = membership.person
    if login and person.user_id is None:
        services.link_user(person=person, user=make_user(email))
        person.refresh_from_db()
    return person


def make_partnership(network: Network, name: str | None = None, *, status: str = "active", **kwargs):
    """An organisation as an active broad partner of ``network`` (through the partners services)."""
    from partners import services as partner_services

    organisation, _created = partner_services.find_or_create_organisation(name=name or f"Organisation {next(_seq)}")
    return partner_services.register_partner(
        network=network, organisation=organisation, status=status, by=None, **kwargs
    )


def make_contribution(
    partnership, *, kind: str = "hours", quantity: str = "4", value_eur: str | None = "180", **kwargs
):
    import datetime
    from decimal import Decimal

    from partners import services as partner_services

    return partner_services.record_contribution(
        partnership=partnership,
        kind=kind,
        quantity=Decimal(quantity),
        value_eur=Decimal(value_eur) if value_eur is not None else None,
        on=kwargs.pop("on", datetime.date.today()),
        by=None,
        **kwargs,
    )
