"""Demo experiments for Klooz: one in every stage, a candidate awaiting its adoption round, one stopped.

Every experiment is built through the services; adoption and mainstreaming go through real consent
rounds in which the coalition answers. The timeline and a year of reach and lessons are then dated
back (they stand for what happened before the demo starts). Idempotent: an experiment is found by title.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from decisions import services as decision_services
from decisions.models import AnswerKind, ConsentRound, ProposalKind
from ecosystem.models import LessonTopic, Loop, Network, Person, Stage
from experiments import services
from experiments.models import Experiment, ExperimentEvent, TargetGroup
from partners.models import Partnership

COALITION = [
    "coordinator@example.org",
    "bram.claes@example.org",
    "member@example.org",
    "nele.maes@example.org",
    "pieter.wouters@example.org",
    "hanne.jacobs@example.org",
    "karim.bouzid@example.org",
]
FORWARD = [Stage.CATALYSING, Stage.EXPERIMENTATION]

# title, trekker, partners, target groups, place, question, where it is now, months running
EXPERIMENTS = [
    (
        "Repair Café-workshop",
        "karim.bouzid@example.org",
        ["Repair Café Loon", "Jeugdhuis 't Biejke vzw"],
        [TargetGroup.YOUTH, TargetGroup.SENIORS],
        "De schuur van het klooster",
        "Leren jongeren en senioren van elkaar wanneer ze samen toestellen herstellen?",
        Stage.EXPERIMENTATION,
        12,
    ),
    (
        "Talenttraject met PIBO Campus",
        "pieter.wouters@example.org",
        ["PIBO Campus vzw", "Link in de Kabel vzw"],
        [TargetGroup.NEET, TargetGroup.JOBSEEKERS],
        "PIBO Campus, Tongeren",
        "Vinden jongeren zonder diploma via een praktijktraject de weg naar een opleiding of job?",
        Stage.MAINSTREAMING,
        12,
    ),
    (
        "Makerspace in Jeugdhuis 't Biejke",
        "member@example.org",
        ["Jeugdhuis 't Biejke vzw", "Academie voor Beeldende Kunst Tongeren"],
        [TargetGroup.YOUTH],
        "Jeugdhuis 't Biejke, Borgloon",
        "Komen tieners die school moe zijn terug om te leren als ze zelf iets mogen maken?",
        Stage.CATALYSING,
        6,
    ),
    (
        "Leesclub in de bibliotheek",
        "ines.lambrechts@example.org",
        ["Bibliotheek Borgloon", "Vormingplus Limburg"],
        [TargetGroup.LOW_LITERACY, TargetGroup.NEWCOMERS],
        "Bibliotheek Borgloon",
        "Lezen volwassenen meer als ze samen lezen over wat hen bezighoudt?",
        Stage.HYPOTHESIS,
        3,
    ),
]
CANDIDATE = (
    "Fuifcoach",
    "karim.bouzid@example.org",
    ["Jeugdhuis 't Biejke vzw", "Stad Borgloon"],
    [TargetGroup.YOUTH],
    "Jeugdhuis 't Biejke, Borgloon",
    "Organiseren jongeren veiliger fuiven als een coach van het jeugdhuis meedenkt?",
)
STOPPED = (
    "Avondatelier fietsherstel",
    "nele.maes@example.org",
    ["Repair Café Loon"],
    [TargetGroup.NEWCOMERS],
    "De schuur van het klooster",
    "Leren nieuwkomers Nederlands terwijl ze samen fietsen herstellen?",
)


def _p(email: str) -> Person:
    return Person.objects.get(email=email)


def _start(network: Network, title, trekker, partners, groups, place, question) -> Experiment:
    partnerships = Partnership.objects.filter(network=network, organisation__name__in=partners)
    fit = {p.pk: f"{title}: {p.text.lower()} Dat toetsten we bij de start." for p in network.principles.all()}
    return services.start_experiment(
        network=network,
        by=None,
        trekker=_p(trekker),
        title=title,
        question=question,
        partners=partnerships,
        target_groups=groups,
        place=place,
        fit=fit,
    )


def _decide(experiment: Experiment, kind: str, title: str, trekker: str, *, close: bool = True):
    """A consent round on the experiment, proposed by its trekker (a coordinator when the trekker may not propose)."""
    proposer = trekker if trekker in COALITION else "coordinator@example.org"
    proposal = services.propose(
        experiment=experiment,
        kind=kind,
        by=None,
        on_behalf_of=_p(proposer),
        title=title,
        driver=experiment.question,
        text=f"{title}. De trekker brengt verslag uit bij de volgende reflectie.",
    )
    proposal = decision_services.start_questions(proposal=proposal, by=None)
    round = decision_services.open_consent_round(
        proposal=proposal, deadline=timezone.now() + datetime.timedelta(days=5), by=None
    )
    answering = COALITION if close else COALITION[:3]
    for email in answering:
        decision_services.submit_answer(
            round=round, kind=AnswerKind.CONSENT, reason="", by=None, on_behalf_of=_p(email)
        )
    return ConsentRound.objects.get(pk=round.pk)


def _date_back(experiment: Experiment, months: int) -> None:
    """Spread the timeline over the ``months`` the experiment has been running, in its order."""
    events = list(experiment.events.order_by("at", "id"))
    start = timezone.now() - datetime.timedelta(days=30 * months)
    step = datetime.timedelta(days=30 * months / max(len(events), 1))
    for i, event in enumerate(events):
        ExperimentEvent.objects.filter(pk=event.pk).update(at=start + i * step)
    Experiment.objects.filter(pk=experiment.pk).update(created_at=start)


def _a_year_of_records(experiment: Experiment, months: int) -> None:
    today = timezone.localdate()
    for month in range(months - 1, -1, -1):
        on = today - datetime.timedelta(days=30 * month + 3)
        for group in experiment.target_groups:
            services.record_reach(
                experiment=experiment, target_group=group, participants=6 + (month % 4) * 2, sessions=2, on=on, by=None
            )
        if month % 4 == 1:
            services.record_lesson(
                experiment=experiment,
                text="Deelnemers blijven komen als ze zelf mee de inhoud bepalen.",
                topic=LessonTopic.CONTENT,
                loop=Loop.SINGLE if month % 8 == 1 else Loop.DOUBLE,
                on=on,
                by=None,
            )
    services.record_lesson(
        experiment=experiment,
        text="Afspraken over wie de sleutel heeft, maken of breken de samenwerking.",
        topic=LessonTopic.COLLABORATION,
        loop=Loop.TRIPLE,
        on=today - datetime.timedelta(days=20),
        by=None,
    )


@transaction.atomic
def build(networks: dict[str, Network]) -> None:
    klooz = networks["klooz"]
    known = set(Experiment.objects.filter(network=klooz).values_list("title", flat=True))
    for title, trekker, partners, groups, place, question, stage, months in EXPERIMENTS:
        if title in known:
            continue
        experiment = _start(klooz, title, trekker, partners, groups, place, question)
        _decide(experiment, ProposalKind.ADOPT_EXPERIMENT, f"{title} wordt een experiment van Klooz", trekker)
        for to_stage in FORWARD[: [Stage.HYPOTHESIS, *FORWARD, Stage.MAINSTREAMING].index(stage)]:
            services.move_experiment(
                experiment=experiment,
                to_stage=to_stage,
                why="De partners zijn er klaar voor.",
                evidence="Verslag van de laatste werksessie.",
                by=None,
            )
        if stage == Stage.MAINSTREAMING:
            _decide(experiment, ProposalKind.EXPERIMENT_TO_MAINSTREAMING, f"{title} wordt vast aanbod", trekker)
        _a_year_of_records(experiment, months)
        _date_back(experiment, months)
    if CANDIDATE[0] not in known:
        candidate = _start(klooz, *CANDIDATE)
        # Its adoption round is open: three of the coalition answered (the demo member too), the others not yet.
        _decide(
            candidate,
            ProposalKind.ADOPT_EXPERIMENT,
            "Fuifcoach wordt een experiment van Klooz",
            "karim.bouzid@example.org",
            close=False,
        )
    if STOPPED[0] not in known:
        stopped = _start(klooz, *STOPPED)
        services.move_experiment(experiment=stopped, to_stage=Stage.CATALYSING, why="Een lokaal gevonden.", by=None)
        services.stop_experiment(
            experiment=stopped,
            lessons="Na een werkdag komt niemand nog naar een avondatelier; overdag in het weekend wel.",
            why="Te weinig deelnemers, drie avonden op rij.",
            topic=LessonTopic.CONTENT,
            loop=Loop.DOUBLE,
            by=None,
        )
        _date_back(stopped, 8)
