"""Demo partners for Klooz (the seeds' coalition plus broad partners and a year of ledger) and Genk.

Idempotent: organisations and partnerships are found by name; events and ledger entries are only
written when the partnership is new.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from decisions import demo as decisions_demo
from decisions import services as decision_services
from decisions.models import AnswerKind, ProposalKind
from ecosystem.models import Network, Person
from partners import services
from partners.models import ContributionKind, Offer, OrganisationType, Partnership, Reason, Status

T = OrganisationType
# name, type, municipality, reasons, offers, months ago joined
KLOOZ_CORE = [
    (
        "Stad Borgloon",
        T.LOCAL_GOVERNMENT,
        "Borgloon",
        [Reason.LOCAL, Reason.MISSION],
        [Offer.RESOURCES, Offer.CAPACITY],
    ),
    (
        "Link in de Kabel vzw",
        T.YOUTH_WORK,
        "Borgloon",
        [Reason.TARGET_GROUPS, Reason.IMPACT],
        [Offer.EXPERTISE, Offer.TARGET_GROUP],
    ),
    ("Jeugdhuis 't Biejke vzw", T.YOUTH_WORK, "Borgloon", [Reason.LOCAL, Reason.RESOURCES], [Offer.TARGET_GROUP]),
    ("IN-Z vzw", T.CARE_WELFARE, "Sint-Truiden", [Reason.TARGET_GROUPS, Reason.LEARNING], [Offer.EXPERTISE]),
    ("PIBO Campus vzw", T.SCHOOL, "Tongeren", [Reason.LEARNING, Reason.MISSION], [Offer.EXPERTISE, Offer.CAPACITY]),
]
KLOOZ_BROAD = [
    ("Bibliotheek Borgloon", T.LIBRARY, "Borgloon", [Reason.MISSION], [Offer.RESOURCES], 11),
    ("Sportclub Loon", T.SPORT, "Borgloon", [Reason.TARGET_GROUPS], [Offer.CAPACITY], 10),
    ("Academie voor Beeldende Kunst Tongeren", T.ARTS_CULTURE, "Tongeren", [Reason.LEARNING], [Offer.EXPERTISE], 9),
    ("UCLL Hogeschool", T.KNOWLEDGE, "Diepenbeek", [Reason.LEARNING, Reason.IMPACT], [Offer.EXPERTISE], 8),
    ("Fruitbedrijf Haspengouw", T.ENTREPRENEUR, "Borgloon", [Reason.LOCAL], [Offer.RESOURCES], 7),
    ("OCMW Borgloon", T.CARE_WELFARE, "Borgloon", [Reason.TARGET_GROUPS], [Offer.TARGET_GROUP], 6),
    ("Vormingplus Limburg", T.SOCIAL, "Hasselt", [Reason.MISSION, Reason.LEARNING], [Offer.EXPERTISE], 5),
    ("Repair Café Loon", T.SOCIAL, "Borgloon", [Reason.LOCAL, Reason.RESOURCES], [Offer.CAPACITY], 3),
]
GENK = [
    ("Stad Genk", T.LOCAL_GOVERNMENT, "Genk"),
    ("vzw Katholieke Centrumscholen Genk", T.SCHOOL, "Genk"),
    ("vzw Integro", T.SOCIAL, "Genk"),
    ("Labiomista", T.ARTS_CULTURE, "Genk"),
]


def _months_ago(n: int) -> datetime.date:
    today = timezone.localdate()
    year, month = today.year, today.month - n
    while month < 1:
        year, month = year - 1, month + 12
    return datetime.date(year, month, min(today.day, 28))


class _AdoptedFoundingAgreement:
    """The core partners of the demo were admitted by the partnership agreement of the ESF application,
    the consent decision of the founding coalition; it predates the app, so it is not a Proposal."""

    is_adopted = True
    pk = "founding-agreement"

    def __init__(self, network: Network):
        self.network_id = network.pk


@transaction.atomic
def build(networks: dict[str, Network]) -> None:
    klooz, genk = networks["klooz"], networks["genk"]
    founding = _AdoptedFoundingAgreement(klooz)
    for name, type_, municipality, reasons, offers in KLOOZ_CORE:
        partnership = _partner(klooz, name, type_, municipality, reasons, offers, _months_ago(12))
        if partnership is not None:
            services.admit_to_core(partnership=partnership, decision=founding, by=None)
            _ledger(partnership, core=True)
    for name, type_, municipality, reasons, offers, months in KLOOZ_BROAD:
        partnership = _partner(klooz, name, type_, municipality, reasons, offers, _months_ago(months))
        if partnership is not None:
            _ledger(partnership, core=False, since=months)
            if name == "Sportclub Loon":
                services.change_status(
                    partnership=partnership,
                    to_status=Status.PAUSED,
                    on=_months_ago(2),
                    reason="Seizoensstop; komt terug in het najaar.",
                    by=None,
                )
    prospect = Partnership.objects.filter(network=klooz, organisation__name="Kinderopvang De Speelboom").first()
    if prospect is None:
        organisation, _ = services.find_or_create_organisation(
            name="Kinderopvang De Speelboom", type=T.CARE_WELFARE, municipality="Borgloon"
        )
        services.register_partner(
            network=klooz,
            organisation=organisation,
            status=Status.PROSPECTIVE,
            by=None,
            reasons=[Reason.TARGET_GROUPS],
            reason="Kennismaking op de open dag.",
        )
    for name, type_, municipality in GENK:
        _partner(genk, name, type_, municipality, [Reason.LOCAL], [Offer.CAPACITY], _months_ago(10))
    _affiliate_demo_persons(klooz)
    _admission_of_the_library(klooz)


def _partner(network, name, type_, municipality, reasons, offers, since) -> Partnership | None:
    """A new active broad partnership, or None when it exists already (idempotent)."""
    if Partnership.objects.filter(network=network, organisation__name=name).exists():
        return None
    organisation, _ = services.find_or_create_organisation(name=name, type=type_, municipality=municipality)
    return services.register_partner(
        network=network,
        organisation=organisation,
        status=Status.ACTIVE,
        since=since,
        reasons=reasons,
        offers=offers,
        by=None,
    )


def _ledger(partnership: Partnership, *, core: bool, since: int = 12) -> None:
    for months in range(since - 1, -1, -1):
        on = _months_ago(months)
        services.record_contribution(
            partnership=partnership,
            kind=ContributionKind.HOURS,
            quantity=Decimal(16 if core else 4),
            value_eur=Decimal(16 * 45 if core else 4 * 45),
            on=on,
            note="Inzet medewerkers",
            by=None,
        )
        if core and months % 3 == 0:
            services.record_contribution(
                partnership=partnership,
                kind=ContributionKind.MONEY,
                quantity=Decimal(2500),
                on=on,
                note="Cofinanciering kwartaal",
                by=None,
            )
    if partnership.organisation and partnership.organisation.name == "Stad Borgloon":
        entry = services.record_contribution(
            partnership=partnership,
            kind=ContributionKind.ROOMS,
            quantity=Decimal(40),
            value_eur=Decimal(4000),
            on=_months_ago(4),
            note="Zalen in het klooster",
            by=None,
        )
        services.correct_contribution(entry=entry, by=None, reason="Dubbel ingegeven")
        services.record_contribution(
            partnership=partnership,
            kind=ContributionKind.ROOMS,
            quantity=Decimal(20),
            value_eur=Decimal(2000),
            on=_months_ago(4),
            note="Zalen in het klooster",
            by=None,
        )


def _affiliate_demo_persons(network: Network) -> None:
    """Link the demo persons to the organisations their affiliation names."""
    for person in Person.objects.filter(memberships__network=network).exclude(affiliation="").distinct():
        partnership = Partnership.objects.filter(network=network, organisation__name=person.affiliation).first()
        if partnership is not None and partnership.organisation is not None:
            services.affiliate(person=person, organisation=partnership.organisation, by=None)
    representatives = {"Link in de Kabel vzw": "member@example.org", "Stad Borgloon": "coordinator@example.org"}
    for name, email in representatives.items():
        partnership = Partnership.objects.filter(network=network, organisation__name=name, representative=None).first()
        if partnership is not None:
            partnership.representative = Person.objects.get(email=email)
            partnership.save(update_fields=["representative"])


def _admission_of_the_library(klooz: Network) -> None:
    """A consent decision admitting the library to the core, adopted after an objection and a new version."""
    library = Partnership.objects.filter(network=klooz, organisation__name="Bibliotheek Borgloon").first()
    proposal = decisions_demo.create(
        klooz,
        "Bibliotheek Borgloon wordt kernpartner",
        "coordinator@example.org",
        kind=ProposalKind.ADMIT_PARTNER,
        subject=library,
        driver="De bibliotheek draagt al een jaar experimenten mee, maar beslist niet mee.",
        text="We nemen Bibliotheek Borgloon op als kernpartner, met een stem in de coalitie.",
    )
    if proposal is None:
        return
    decision_services.start_questions(proposal=proposal, by=None)
    question = decision_services.ask_question(
        proposal=proposal,
        text="Wie vertegenwoordigt de bibliotheek?",
        by=None,
        on_behalf_of=decisions_demo.person("nele.maes@example.org"),
    )
    decision_services.answer_question(
        question=question, answer="Ines Lambrechts, met de bibliothecaris als plaatsvervanger.", by=None
    )
    decision_services.start_reactions(proposal=proposal, by=None)
    decision_services.add_reaction(
        proposal=proposal,
        text="Goed idee: de leeshoek is onze drukste plek.",
        by=None,
        on_behalf_of=decisions_demo.person("ines.lambrechts@example.org"),
    )
    round = decisions_demo.open_round(proposal)
    decisions_demo.answer(
        round,
        "pieter.wouters@example.org",
        AnswerKind.OBJECTION,
        "Zonder afspraak over de openingsuren op woensdag is dit niet veilig genoeg om te proberen.",
    )
    decision_services.new_version(
        proposal=proposal,
        by=None,
        change_note="Bezwaar van Pieter verwerkt: afspraak over woensdag.",
        text="We nemen Bibliotheek Borgloon op als kernpartner, met een stem in de coalitie. "
        "De bibliotheek houdt de leeshoek op woensdagnamiddag open voor de experimenten.",
        deadline=timezone.now() + datetime.timedelta(days=5),
    )
    second = proposal.rounds.get(number=2)
    for email in decisions_demo.COALITION:
        kind = AnswerKind.CONCERN if email == "karim.bouzid@example.org" else AnswerKind.CONSENT
        decisions_demo.answer(
            second, email, kind, "Let op de parking op woensdag." if kind == AnswerKind.CONCERN else ""
        )
    proposal.refresh_from_db()
    decisions_demo.move_back(proposal, 40)
