"""Demo proposals for Klooz, one in every state of a proposal's life.

Among them: an open round awaiting member@example.org and a decision due for review (the admission
of the library to the core, adopted after an objection and a new version, is partners/demo.py's,
built just before these). The helpers are shared with that demo. Rounds can only
be opened with a future deadline, so the decided ones are built now and then moved back in time
(they stand for decisions taken before the demo starts). Idempotent: a proposal is found by title.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from decisions import services
from decisions.models import AnswerKind, ConsentRound, Electorate, Proposal, ProposalKind
from ecosystem.models import Network, Person, Stage

COALITION = [
    "coordinator@example.org",
    "bram.claes@example.org",
    "member@example.org",
    "nele.maes@example.org",
    "pieter.wouters@example.org",
    "hanne.jacobs@example.org",
    "karim.bouzid@example.org",
]


def person(email: str) -> Person:
    return Person.objects.get(email=email)


def create(network: Network, title: str, proposer: str, **fields) -> Proposal | None:
    if Proposal.objects.filter(network=network, title=title).exists():
        return None
    return services.create_proposal(network=network, title=title, by=None, on_behalf_of=person(proposer), **fields)


def to_reactions(proposal: Proposal) -> Proposal:
    proposal = services.start_questions(proposal=proposal, by=None)
    return services.start_reactions(proposal=proposal, by=None)


def open_round(proposal: Proposal, days: float = 5) -> ConsentRound:
    deadline = timezone.now() + datetime.timedelta(days=days)
    return services.open_consent_round(proposal=proposal, deadline=deadline, by=None)


def answer(round: ConsentRound, email: str, kind: str = AnswerKind.CONSENT, reason: str = "") -> None:
    services.submit_answer(round=round, kind=kind, reason=reason, by=None, on_behalf_of=person(email))


def move_back(proposal: Proposal, days: int) -> None:
    """Shift a decided proposal's dates into the past, as if it was decided ``days`` ago."""
    delta = datetime.timedelta(days=days)
    for round in proposal.rounds.all():
        ConsentRound.objects.filter(pk=round.pk).update(
            opened_at=round.opened_at - delta,
            deadline=round.deadline - delta,
            closed_at=round.closed_at - delta if round.closed_at else None,
        )
    Proposal.objects.filter(pk=proposal.pk).update(
        decided_at=proposal.decided_at - delta if proposal.decided_at else None,
        created_at=proposal.created_at - delta,
    )


@transaction.atomic
def build(networks: dict[str, Network]) -> None:
    klooz = networks["klooz"]

    proposal = create(
        klooz,
        "Maandelijkse open vergadering",
        "bram.claes@example.org",
        driver="Brede partners horen te laat wat de coalitie bespreekt.",
        text="Elke eerste dinsdag is de coalitievergadering open voor alle partners.",
    )
    if proposal is not None:
        round = open_round(to_reactions(proposal))
        for email in COALITION:
            answer(round, email)
        proposal.refresh_from_db()
        move_back(proposal, 200)
        Proposal.objects.filter(pk=proposal.pk).update(review_date=timezone.localdate() - datetime.timedelta(days=3))

    proposal = create(
        klooz,
        "Werkplaats op woensdag",
        "coordinator@example.org",
        driver="Jongeren vragen een plek om te herstellen en te maken.",
        text="We openen op woensdag een werkplaats in de oude schuur, met het Repair Café als trekker.",
        electorate=Electorate.NETWORK,
    )
    if proposal is not None:
        round = open_round(to_reactions(proposal), days=4)
        answer(round, "coordinator@example.org")
        answer(round, "nele.maes@example.org")
        answer(round, "hanne.jacobs@example.org", AnswerKind.CONCERN, "Wie betaalt het materiaal?")

    proposal = create(
        klooz,
        "Budget voor vervoer naar de site",
        "hanne.jacobs@example.org",
        kind=ProposalKind.BUDGET,
        driver="Deelnemers uit de deelgemeenten geraken niet tot het klooster.",
        text="We besteden € 6.000 aan een busje op zaterdag.",
    )
    if proposal is not None:
        round = open_round(to_reactions(proposal))
        for email in COALITION:
            kind = AnswerKind.OBJECTION if email == "pieter.wouters@example.org" else AnswerKind.CONSENT
            answer(
                round,
                email,
                kind,
                "Eerst de vraag peilen; € 6.000 is te veel om zomaar te proberen."
                if kind == AnswerKind.OBJECTION
                else "",
            )
        proposal.refresh_from_db()
        move_back(proposal, 10)

    proposal = create(
        klooz,
        "Klooz gaat naar dynamisch experimenteren",
        "member@example.org",
        kind=ProposalKind.CHANGE_NETWORK_STAGE,
        effect_params={"to_stage": Stage.EXPERIMENTATION},
        driver="Drie experimenten lopen en leveren eerste resultaten.",
        text="We verklaren dat Klooz in het stadium van dynamisch experimenteren zit.",
    )
    if proposal is not None:
        to_reactions(proposal)

    proposal = create(
        klooz,
        "Een kernteam van vijf",
        "bram.claes@example.org",
        kind=ProposalKind.CHANGE_GOVERNANCE,
        effect_params={"governance_form": "lead"},
        driver="Vergaderen met de hele coalitie duurt lang.",
        text="Een kernteam van vijf beslist voortaan over het dagelijkse werk.",
    )
    if proposal is not None:
        services.withdraw_proposal(proposal=proposal, by=None, reason="Na de reacties trekken we dit in.")

    proposal = create(
        klooz,
        "Een gedeelde agenda voor alle partners",
        "nele.maes@example.org",
        driver="Activiteiten van partners overlappen; niemand ziet het geheel.",
        text="We houden één gedeelde agenda bij waarin elke partner zijn activiteiten zet.",
        electorate=Electorate.NETWORK,
    )
    if proposal is not None:
        services.start_questions(proposal=proposal, by=None)
        services.ask_question(
            proposal=proposal,
            text="Welke agenda-app gebruiken we, en wie beheert ze?",
            by=None,
            on_behalf_of=person("ines.lambrechts@example.org"),
        )

    proposal = create(
        klooz,
        "Vaste vergaderdag op donderdag",
        "karim.bouzid@example.org",
        driver="De vergaderdag wisselt elke maand.",
        text="De coalitie vergadert voortaan op de tweede donderdag van de maand.",
    )
    if proposal is not None:
        round = open_round(to_reactions(proposal), days=1)
        answer(round, "karim.bouzid@example.org")
        services.close_round(round=round, now=round.deadline)  # the deadline passed without quorum: lapsed
        proposal.refresh_from_db()
        move_back(proposal, 30)

    create(
        klooz,
        "Zomerschool 2027",
        "member@example.org",
        driver="In juli valt het aanbod voor tieners stil.",
        text="Een zomerschool van twee weken in het klooster, met de partners als lesgevers.",
    )
