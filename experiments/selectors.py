"""Reads of experiments, with their related rows fetched once, so a page's query count does not grow.

``stage_guidance`` and ``current_stage_risk`` are what the reflection app reads (its health check asks
about the current stage's risk); reflection imports only this module and the services.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from ecosystem.models import LessonTopic, Loop, Network, Principle, Stage
from experiments.guidance import GUIDANCE, StageGuidance
from experiments.models import Experiment, ExperimentEvent, FitStatement, PartnerRole, Reach, Standing, TargetGroup


def stage_guidance(stage: str) -> StageGuidance:
    """What characterises ``stage`` and its named risk (Hannon et al., 2019), translatable."""
    return GUIDANCE[Stage(stage)]


def current_stage_risk(experiment: Experiment) -> str:
    """The named risk of the stage the experiment is in, in the active language."""
    return str(stage_guidance(experiment.stage).risk)


def experiments(network: Network) -> QuerySet[Experiment]:
    return (
        Experiment.objects.filter(network=network)
        .select_related("trekker")
        .prefetch_related(
            Prefetch(
                "partner_roles",
                queryset=PartnerRole.objects.select_related("partnership__organisation", "partnership__person"),
            )
        )
    )


@dataclass
class Column:
    key: str
    label: Any
    experiments: list[Experiment] = field(default_factory=list)
    guidance: StageGuidance | None = None


def board(
    network: Network,
    *,
    partner: Any = None,
    target_group: str = "",
    trekker: Any = None,
    adopted_only: bool = False,
) -> list[Column]:
    """The experiments by column: candidates, the four stages (the ecosystem's), stopped."""
    rows = experiments(network)
    if partner is not None:
        rows = rows.filter(partner_roles__partnership=partner)
    if trekker is not None:
        rows = rows.filter(trekker=trekker)
    if adopted_only:
        rows = rows.filter(standing=Standing.ADOPTED)
    columns = {"candidate": Column("candidate", _("Candidates"))}
    columns.update({stage: Column(stage, label, guidance=GUIDANCE[Stage(stage)]) for stage, label in Stage.choices})
    columns["stopped"] = Column("stopped", _("Stopped"))
    for experiment in rows.distinct():
        if target_group and target_group not in experiment.target_groups:
            continue  # in Python: SQLite, the embedded default, has no JSON containment lookup
        key = experiment.stage if experiment.standing == Standing.ADOPTED else experiment.standing
        columns[key].experiments.append(experiment)
    if adopted_only:
        return [columns[stage] for stage in Stage.values]
    return list(columns.values())


def adoption_candidates(network: Network) -> QuerySet[Experiment]:
    """What an "adopt experiment" proposal can be about: the network's candidates."""
    return Experiment.objects.filter(network=network, standing=Standing.CANDIDATE).order_by("title", "pk")


def mainstreaming_candidates(network: Network) -> QuerySet[Experiment]:
    """What a "to mainstreaming" proposal can be about: the ecosystem's experiments in dynamic experimentation."""
    return Experiment.objects.filter(network=network, standing=Standing.ADOPTED, stage=Stage.EXPERIMENTATION).order_by(
        "title", "pk"
    )


def experiment_detail(network: Network, pk: int) -> Experiment:
    """One experiment with its timeline, partners, fit statements and lessons (DoesNotExist outside the network)."""
    return (
        experiments(network)
        .select_related("reopened_from", "adopted_by")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=ExperimentEvent.objects.select_related("by", "trekker", "decision")
                .prefetch_related("files")
                .order_by("at", "id"),
            ),
            Prefetch("fit_statements", queryset=FitStatement.objects.select_related("principle")),
            "lessons",
            "reopened_as",
            "reach",
        )
        .get(pk=pk)
    )


def stage_history(experiment: Experiment) -> QuerySet[ExperimentEvent]:
    """Every stage the experiment was in, in order, with who, when, why and the evidence."""
    return experiment.events.filter(to_stage__gt="").select_related("by").order_by("at", "id")


def stage_spread(network: Network) -> dict[str, int]:
    """How many of the network's adopted experiments are in each stage (for the network page)."""
    counts = Counter(
        Experiment.objects.filter(network=network, standing=Standing.ADOPTED).values_list("stage", flat=True)
    )
    return {stage: counts.get(stage, 0) for stage in Stage.values}


def missing_fit(experiment: Experiment) -> list[Principle]:
    """The network's current principles the experiment has no fit statement for (one query)."""
    written = FitStatement.objects.filter(experiment=experiment).values("principle_id")
    return list(
        Principle.objects.filter(network_id=experiment.network_id, archived_at__isnull=True)
        .exclude(pk__in=written)
        .order_by("position")
    )


def lesson_counts(experiment: Experiment) -> dict[str, list[tuple[Any, int]]]:
    """How many lessons, by topic and by loop: what a funder reads (counts, no texts). From the
    prefetched lessons of :func:`experiment_detail`."""
    lessons = list(experiment.lessons.all())
    return {
        "topic": [(label, sum(1 for x in lessons if x.topic == value)) for value, label in LessonTopic.choices],
        "loop": [(label, sum(1 for x in lessons if x.loop == value)) for value, label in Loop.choices],
    }


@dataclass
class ReachTotals:
    participants: int = 0
    sessions: int = 0
    records: int = 0
    by_target_group: list[tuple[Any, int]] = field(default_factory=list)
    by_stage: list[tuple[Any, int, int]] = field(default_factory=list)


def experiment_reach(experiment: Experiment) -> ReachTotals:
    """One experiment's reach, from the records :func:`experiment_detail` prefetched (no query)."""
    records = list(experiment.reach.all())
    groups = Counter[str]()
    for record in records:
        groups[record.target_group] += record.participants
    return ReachTotals(
        participants=sum(r.participants for r in records),
        sessions=sum(r.sessions for r in records),
        records=len(records),
        by_target_group=[(label, groups[value]) for value, label in TargetGroup.choices if value in groups],
    )


def reach_totals(
    network: Network,
    *,
    experiment: Experiment | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> ReachTotals:
    """Participants reached and sessions held, over a period: for one experiment or the whole network,
    per target group and per stage the experiment is in now. Three queries, whatever the data."""
    rows = Reach.objects.filter(experiment__network=network)
    if experiment is not None:
        rows = rows.filter(experiment=experiment)
    if start is not None:
        rows = rows.filter(on__gte=start)
    if end is not None:
        rows = rows.filter(on__lte=end)
    total = rows.aggregate(participants=Sum("participants"), sessions=Sum("sessions"), records=Count("id"))
    groups = dict(rows.values_list("target_group").annotate(n=Sum("participants")).order_by())
    stages = {
        stage: (p, s)
        for stage, p, s in rows.values_list("experiment__stage")
        .annotate(p=Sum("participants"), s=Sum("sessions"))
        .order_by()
    }
    return ReachTotals(
        participants=total["participants"] or 0,
        sessions=total["sessions"] or 0,
        records=total["records"],
        by_target_group=[(label, groups[value]) for value, label in TargetGroup.choices if value in groups],
        by_stage=[(label, *stages.get(value, (0, 0))) for value, label in Stage.choices],
    )
