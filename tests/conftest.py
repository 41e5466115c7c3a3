"""Shared fixtures: one network with a person in every role, a second network, and their clients.

Personas: anonymous, coordinator, coalition (member), broad_partner, funder, facilitator, observer,
and outsider (a coalition member of *another* network).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pytest
from django.test import Client

from ecosystem.models import Network, Person, Role, User
from tests.factories import make_network, make_person

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server and Playwright share the thread

PERSONA_ROLES = {
    "coordinator": Role.COORDINATOR,
    "coalition": Role.COALITION_MEMBER,
    "broad_partner": Role.BROAD_PARTNER,
    "funder": Role.FUNDER,
    "facilitator": Role.FACILITATOR,
    "observer": Role.OBSERVER,
}
PERSONAS = ["anonymous", *PERSONA_ROLES, "outsider"]


@dataclass
class World:
    network: Network
    other_network: Network
    persons: dict[str, Person] = field(default_factory=dict)

    def user(self, persona: str) -> User | None:
        if persona == "anonymous":
            return None
        user = self.persons[persona].user
        assert user is not None
        return user

    def client(self, persona: str) -> Client:
        client = Client()
        user = self.user(persona)
        if user is not None:
            client.force_login(user)
        return client


@pytest.fixture
def world(db) -> World:
    network = make_network("Klooz", "klooz", co_financing_rate=50)
    other = make_network("Genk", "genk")
    world = World(network=network, other_network=other)
    for persona, role in PERSONA_ROLES.items():
        world.persons[persona] = make_person(
            network, role, name=f"{persona.title()} Person", email=f"{persona}@example.test"
        )
    world.persons["outsider"] = make_person(
        other, Role.COALITION_MEMBER, name="Outsider Person", email="outsider@example.test"
    )
    make_person(other, Role.COORDINATOR, name="Genk Coordinator", email="genk-coordinator@example.test")
    return world


def add_council(world: World) -> World:
    """Two more coalition members, once: enough electors for a consent round to adopt."""
    for name in ("member2", "member3"):
        if name not in world.persons:
            world.persons[name] = make_person(
                world.network, Role.COALITION_MEMBER, name=f"{name.title()} Person", email=f"{name}@example.test"
            )
    return world


@pytest.fixture
def council(world) -> World:
    """The world with two more coalition members: enough electors for a consent round to adopt."""
    return add_council(world)


@pytest.fixture
def coordinator_client(world) -> Client:
    return world.client("coordinator")


@pytest.fixture
def nl(settings):
    """Requests in Dutch, as a user who never switched language gets them."""
    return {"HTTP_ACCEPT_LANGUAGE": "nl"}
