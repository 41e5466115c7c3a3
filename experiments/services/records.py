"""Reach and lessons recorded over time, by the trekker or a coordinator (the step table's "record")."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecosystem.models import LessonTopic, Loop, User
from ecosystem.permissions import acting_person
from experiments.lifecycle import require_step
from experiments.models import Experiment, Lesson, Reach, TargetGroup


@transaction.atomic
def record_lesson(
    *,
    experiment: Experiment,
    text: str,
    by: User | None,
    topic: str = LessonTopic.CONTENT,
    loop: str = Loop.SINGLE,
    on: datetime.date | None = None,
) -> Lesson:
    require_step("record", experiment, by=by)
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": _("A lesson is recorded once it is learned: the date is not in the future.")})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the lesson.")})
    return Lesson.objects.create(
        experiment=experiment, text=text, topic=topic, loop=loop, on=on, recorded_by=acting_person(by)
    )


@transaction.atomic
def record_reach(
    *,
    experiment: Experiment,
    target_group: str,
    by: User | None,
    participants: int = 0,
    sessions: int = 0,
    first_evidence: str = "",
    on: datetime.date | None = None,
) -> Reach:
    """Record how many of a target group the experiment reached (a count, never names) and the sessions held."""
    require_step("record", experiment, by=by)
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": _("Reach is recorded once it happened: the date is not in the future.")})
    if target_group not in TargetGroup.values:
        raise ValidationError({"target_group": _("Unknown target group.")})
    if participants < 0 or sessions < 0:
        raise ValidationError(_("Counts are not negative."))
    if not (participants or sessions or first_evidence.strip()):
        raise ValidationError(_("Record participants, sessions or a first evidence of success."))
    return Reach.objects.create(
        experiment=experiment,
        on=on,
        target_group=target_group,
        participants=participants,
        sessions=sessions,
        first_evidence=first_evidence.strip(),
        recorded_by=acting_person(by),
    )
