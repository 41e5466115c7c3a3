"""The demo network: Klooz in Borgloon (from the seeds), and Genk beside it so separation shows.

Persons are invented placeholders. Idempotent: every step looks for its row before making it, so
running it twice leaves the same rows. Other apps add their own demo content in ``<app>/demo.py``.
"""

from __future__ import annotations

import datetime

from allauth.account.models import EmailAddress
from django.db import transaction

from ecosystem import services
from ecosystem.models import GovernanceForm, Membership, Network, Person, Role, Stage, User

DEMO_PASSWORD = "klooz-demo"

KLOOZ = {
    "name": "Klooz — leerecosysteem Borgloon en Zuid-Limburg",
    "slug": "klooz",
    "site": "Brigittijnenklooster, Borgloon",
    "target_group": "Inwoners van Borgloon en Zuid-Limburg, met focus op kwetsbare doelgroepen.",
    "mission": "Bijdragen tot zinvolle zelfontplooiing en ondernemerschap.",
    "vision": (
        "Van Zuid-Limburg een welvarende en gelukkige durf-regio maken, waar goesting om te leren en te "
        "experimenteren aangewakkerd, gevoed en gefaciliteerd wordt."
    ),
    "governance_form": GovernanceForm.NAO,
    "lead_applicant": "Stad Borgloon",
    "funding_programme": "ESF-oproep 545 — leerecosystemen",
    "co_financing_rate": 50,
    "budget": 480000,
}
KLOOZ_PRINCIPLES = [
    "Leren kan overal: ook buiten school, in het echte leven.",
    "Wie het meest baat heeft bij leren, bereiken we eerst.",
    "Geen partner doet het alleen: we halen en brengen.",
    "Goed genoeg voor nu, veilig genoeg om te proberen.",
]
GENK = {
    "name": "Regina Mundi Genk & Labiomista",
    "slug": "genk",
    "site": "Site Kattenberg-Regina Mundi, Genk",
    "target_group": "Elke Genkenaar, met focus op (kwetsbare) kinderen.",
    "mission": "Een motor zijn voor innovatieve talentontwikkeling door individuele leer- en groeipaden.",
    "vision": "Zien doen — samen doen — zelf doen.",
    "governance_form": GovernanceForm.LEAD_ORGANISATION,
    "lead_applicant": "Stad Genk",
    "funding_programme": "ESF-oproep 545 — leerecosystemen",
    "co_financing_rate": 50,
}

# (e-mail, name, affiliation, {network slug: [roles]}, has a demo login)
PERSONS = [
    ("coordinator@example.org", "Lotte Vandenbroeck", "Stad Borgloon", {"klooz": [Role.COORDINATOR]}, True),
    ("member@example.org", "Jonas Peeters", "Link in de Kabel vzw", {"klooz": [Role.COALITION_MEMBER]}, True),
    ("partner@example.org", "Amira El Idrissi", "Jeugdhuis 't Biejke vzw", {"klooz": [Role.BROAD_PARTNER]}, True),
    ("funder@example.org", "Geert Willems", "ESF Vlaanderen", {"klooz": [Role.FUNDER]}, True),
    ("facilitator@example.org", "Sofie Janssens", "", {"klooz": [Role.FACILITATOR]}, True),
    ("outsider@example.org", "Tom Hermans", "Stad Genk", {"genk": [Role.COALITION_MEMBER]}, True),
    (
        "bram.claes@example.org",
        "Bram Claes",
        "Link in de Kabel vzw",
        {"klooz": [Role.COORDINATOR, Role.COALITION_MEMBER]},
        False,
    ),
    ("nele.maes@example.org", "Nele Maes", "IN-Z vzw", {"klooz": [Role.COALITION_MEMBER]}, False),
    ("pieter.wouters@example.org", "Pieter Wouters", "PIBO Campus vzw", {"klooz": [Role.COALITION_MEMBER]}, False),
    ("hanne.jacobs@example.org", "Hanne Jacobs", "Stad Borgloon", {"klooz": [Role.COALITION_MEMBER]}, False),
    ("karim.bouzid@example.org", "Karim Bouzid", "Jeugdhuis 't Biejke vzw", {"klooz": [Role.COALITION_MEMBER]}, False),
    ("ines.lambrechts@example.org", "Ines Lambrechts", "Bibliotheek Borgloon", {"klooz": [Role.BROAD_PARTNER]}, False),
    ("eva.goossens@example.org", "Eva Goossens", "Stad Genk", {"genk": [Role.COORDINATOR]}, False),
    ("wim.dewit@example.org", "Wim De Wit", "vzw Integro", {"genk": [Role.COALITION_MEMBER]}, False),
]
DEMO_LOGINS = [(email, roles) for email, _n, _a, roles, login in PERSONS if login]

NETWORK_START = datetime.date(2023, 1, 16)


@transaction.atomic
def build() -> dict[str, Network]:
    klooz = _network(KLOOZ, KLOOZ_PRINCIPLES)
    genk = _network(GENK, ["Zien doen, samen doen, zelf doen.", "Talent in vier domeinen."])
    networks = {"klooz": klooz, "genk": genk}
    for email, name, affiliation, roles, has_login in PERSONS:
        person = _person(email, name, affiliation, has_login)
        for slug, role_list in roles.items():
            for role in role_list:
                if not Membership.objects.active().filter(person=person, network=networks[slug], role=role).exists():
                    services.give_role(
                        person=person, network=networks[slug], role=role, start_date=NETWORK_START, by=None
                    )
    if klooz.stage == Stage.HYPOTHESIS:
        services.change_network_stage(
            network=klooz,
            to_stage=Stage.CATALYSING,
            by=None,
            on_behalf_of=Person.objects.get(email="coordinator@example.org"),
            reason="De coalitie staat; we identificeren nieuwe partners en starten de eerste experimenten.",
            evidence="Vijf kernpartners ondertekenden het partnerschap; drie experimenten in voorbereiding.",
        )
    return networks


def _network(profile: dict, principles: list[str]) -> Network:
    network = Network.objects.filter(slug=profile["slug"]).first()
    if network is None:
        network = services.create_network(principles=principles, **profile)
    return network


def _person(email: str, name: str, affiliation: str, has_login: bool) -> Person:
    person = Person.objects.filter(email=email).first()
    if person is None:
        person = Person.objects.create(full_name=name, email=email, affiliation=affiliation)
    if has_login and person.user_id is None:
        user = User.objects.filter(email=email).first() or User.objects.create_user(email=email, password=DEMO_PASSWORD)
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        services.link_user(person=person, user=user)
    return person
