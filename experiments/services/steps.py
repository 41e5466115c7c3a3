"""The steps of an experiment's life, one function each, as ``experiments/lifecycle.py`` allows them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from decisions.models import Proposal, ProposalKind
from ecosystem.models import LessonTopic, Loop, Membership, Network, Person, Principle, Stage, User
from ecosystem.permissions import RUN_EXPERIMENTS, acting_person, require_unless_system
from experiments.evidence import Kind, kind_of
from experiments.lifecycle import move_step, require_step
from experiments.models import (
    EventKind,
    EvidenceFile,
    Experiment,
    ExperimentEvent,
    FitStatement,
    Lesson,
    PartnerRole,
    Standing,
    TargetGroup,
)
from experiments.selectors import missing_fit

EDITABLE = ("title", "question", "target_groups", "target_groups_note", "place", "planned_start", "planned_end")


def _lock(experiment: Experiment) -> Experiment:
    return Experiment.objects.select_for_update(of=("self",)).select_related("network").get(pk=experiment.pk)


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _check_fields(network: Network, fields: Mapping[str, Any]) -> dict[str, Any]:
    data = {key: fields[key] for key in EDITABLE if key in fields}
    if "title" in data:
        data["title"] = _text(data["title"], "title", _("Give the experiment a title."))
    if "question" in data:
        data["question"] = _text(data["question"], "question", _("Write the learning question or hypothesis."))
    unknown = set(data.get("target_groups", [])) - set(TargetGroup.values)
    if unknown:
        raise ValidationError({"target_groups": _("Unknown target group.")})
    start, end = data.get("planned_start"), data.get("planned_end")
    if start and end and end < start:
        raise ValidationError({"planned_end": _("The planned end comes after the planned start.")})
    return data


def _require_member(network: Network, person: Person | None, field: str = "trekker") -> None:
    if person is None or not Membership.objects.active().filter(network=network, person=person).exists():
        raise ValidationError({field: _("The trekker must be a member of this network.")})


def _event(experiment: Experiment, kind: str, *, by: Person | None, **fields: Any) -> ExperimentEvent:
    return ExperimentEvent.objects.create(experiment=experiment, kind=kind, by=by, **fields)


def _links(links: Iterable[str]) -> list[str]:
    cleaned = [link.strip() for link in links if link and link.strip()]
    for link in cleaned:
        if not link.startswith(("https://", "http://")):
            raise ValidationError({"links": _("A link starts with https:// or http://.")})
    return cleaned


@transaction.atomic
def start_experiment(
    *,
    network: Network,
    by: User | None,
    title: str,
    question: str,
    trekker: Person | None = None,
    partners: Iterable[Any] = (),
    fit: Mapping[int, str] | None = None,
    **fields: Any,
) -> Experiment:
    """Register an experiment as a *candidate* in hypothesis and vision forming.

    Before: ``by`` may run experiments here; the trekker (``by``'s person unless named) is a member;
    the partners are the network's. After: a candidate that members see; only an adopted "adopt
    experiment" decision makes it the ecosystem's.
    """
    require_unless_system(by, RUN_EXPERIMENTS, network)
    data = _check_fields(network, {"title": title, "question": question, **fields})
    trekker = trekker or acting_person(by)
    _require_member(network, trekker)
    experiment = Experiment.objects.create(network=network, trekker=trekker, created_by=acting_person(by), **data)
    for partnership in partners:
        if partnership.network_id != network.pk:
            raise ValidationError({"partners": _("Choose partners of this network.")})
        PartnerRole.objects.create(experiment=experiment, partnership=partnership)
    _write_fit(experiment, fit or {}, by=acting_person(by))
    _event(experiment, EventKind.STARTED, by=acting_person(by), to_stage=experiment.stage, trekker=trekker)
    return experiment


def _write_fit(experiment: Experiment, fit: Mapping[int, str], *, by: Person | None) -> None:
    principles = {p.pk: p for p in Principle.objects.filter(network=experiment.network, archived_at__isnull=True)}
    for principle_id, text in fit.items():
        if principle_id not in principles:
            raise ValidationError(_("A fit statement answers one of the network's current principles."))
        text = (text or "").strip()
        if text:
            FitStatement.objects.update_or_create(
                experiment=experiment,
                principle=principles[principle_id],
                defaults={"text": text, "written_by": by, "written_at": timezone.now()},
            )


@transaction.atomic
def update_experiment(
    *, experiment: Experiment, by: User | None, fit: Mapping[int, str] | None = None, **fields: Any
) -> Experiment:
    """Change what the experiment is (title, question, target groups, place, dates) and its fit
    statements. By its trekker or a coordinator; a stopped experiment stays as it stopped."""
    experiment = _lock(experiment)
    require_step("edit", experiment, by=by)
    for key, value in _check_fields(experiment.network, fields).items():
        setattr(experiment, key, value)
    experiment.save()
    _write_fit(experiment, fit or {}, by=acting_person(by))
    return experiment


@transaction.atomic
def move_experiment(
    *,
    experiment: Experiment,
    to_stage: str,
    why: str,
    by: User | None,
    evidence: str = "",
    links: Iterable[str] = (),
    decision: Proposal | None = None,
    evidence_files: Iterable[UploadedFile] = (),
) -> ExperimentEvent:
    """Move the experiment to another Hannon stage (back, or one forward), recorded with why and the
    evidence (a note, links, files). Into mainstreaming only the system, carrying out an adopted
    decision (``decision``). A file too large or of a refused type refuses the whole move."""
    if to_stage not in Stage.values:
        raise ValidationError({"to_stage": _("Unknown stage.")})
    experiment = _lock(experiment)
    require_step(move_step(to_stage), experiment, by=by, decision=decision)
    why = _text(why, "why", _("Say why the experiment moves."))
    # Every file is checked before anything is written, so a refused file leaves no other file behind.
    try:
        checked = [(upload, kind_of(upload)) for upload in evidence_files]
    except ValidationError as refusal:
        raise ValidationError({"evidence_files": refusal.messages}) from None
    event = _event(
        experiment,
        EventKind.MOVED,
        by=acting_person(by) or (decision.proposer if decision else None),
        from_stage=experiment.stage,
        to_stage=to_stage,
        why=why,
        evidence=(evidence or "").strip(),
        links=_links(links),
        decision=decision,
    )
    for upload, kind in checked:
        _attach(event, upload, kind)
    experiment.stage = to_stage
    experiment.save(update_fields=["stage"])
    return event


def _attach(event: ExperimentEvent, upload: UploadedFile, kind: Kind) -> EvidenceFile:
    evidence = EvidenceFile(
        experiment=event.experiment,
        event=event,
        extension=kind.extension,
        content_type=kind.content_type,
        size=upload.size or 0,
        uploaded_by=event.by,
    )
    evidence.file.save("evidence", upload, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def adopt_experiment(*, experiment: Experiment, decision: Proposal, by: User | None = None) -> Experiment:
    """The experiment becomes the ecosystem's: only the effect of an adopted "adopt experiment" decision."""
    experiment = _lock(experiment)
    require_step("adopt", experiment, by=by, decision=decision)
    if decision.kind != ProposalKind.ADOPT_EXPERIMENT or decision.object_id != experiment.pk:
        raise ValidationError(_("This decision is not about adopting this experiment."))
    refuse_missing_fit(experiment)
    experiment.standing = Standing.ADOPTED
    experiment.adopted_by = decision
    experiment.save(update_fields=["standing", "adopted_by"])
    _event(
        experiment,
        EventKind.ADOPTED,
        by=decision.proposer,
        why=_("Consent decision: %(title)s") % {"title": decision.title},
        decision=decision,
    )
    return experiment


def refuse_missing_fit(experiment: Experiment) -> None:
    """Refuse while a current principle has no fit statement: the adoption's precondition."""
    missing = missing_fit(experiment)
    if missing:
        raise ValidationError(
            _("Say how the experiment fits each principle first: %(principles)s")
            % {"principles": "; ".join(p.text for p in missing)}
        )


@transaction.atomic
def change_trekker(*, experiment: Experiment, trekker: Person, why: str, by: User | None) -> ExperimentEvent:
    """Hand the experiment over: the trekker matters, and must be able to step back in time."""
    experiment = _lock(experiment)
    require_step("change_trekker", experiment, by=by)
    _require_member(experiment.network, trekker)
    if trekker.pk == experiment.trekker_id:
        raise ValidationError({"trekker": _("%(person)s pulls this experiment already.") % {"person": trekker}})
    experiment.trekker = trekker
    experiment.save(update_fields=["trekker"])
    return _event(experiment, EventKind.TREKKER, by=acting_person(by), trekker=trekker, why=(why or "").strip())


@transaction.atomic
def stop_experiment(
    *,
    experiment: Experiment,
    lessons: str,
    by: User | None,
    why: str = "",
    topic: str = LessonTopic.CONTENT,
    loop: str = Loop.SINGLE,
) -> ExperimentEvent:
    """Stop the experiment, from any stage, keeping what it taught: without lessons it is refused."""
    experiment = _lock(experiment)
    require_step("stop", experiment, by=by)
    lessons = _text(lessons, "lessons", _("Write down what the experiment taught before it stops."))
    person = acting_person(by)
    Lesson.objects.create(experiment=experiment, text=lessons, topic=topic, loop=loop, recorded_by=person, at_stop=True)
    experiment.standing = Standing.STOPPED
    experiment.save(update_fields=["standing"])
    return _event(experiment, EventKind.STOPPED, by=person, why=(why or "").strip(), evidence=lessons)


@transaction.atomic
def reopen_experiment(*, experiment: Experiment, by: User | None, why: str = "") -> Experiment:
    """Start again from a stopped experiment: a new candidate, in hypothesis and vision forming, that
    links to it. The stopped one stays as it stopped; the new one's trekker is who reopens it."""
    experiment = _lock(experiment)
    require_step("reopen", experiment, by=by)
    fields = {key: getattr(experiment, key) for key in EDITABLE}
    trekker = acting_person(by) or experiment.trekker
    again = Experiment.objects.create(
        network=experiment.network, trekker=trekker, created_by=acting_person(by), reopened_from=experiment, **fields
    )
    for role in experiment.partner_roles.all():
        PartnerRole.objects.create(experiment=again, partnership=role.partnership, role=role.role)
    _event(again, EventKind.STARTED, by=acting_person(by), to_stage=again.stage, trekker=trekker, why=why.strip())
    return again
