"""Experiments: the learning offers through which a network works, with their Hannon et al. stage.

An experiment has two sides: its *standing* in the network (a candidate until an adopted "adopt
experiment" decision makes it the ecosystem's; stopped, with lessons, at any time) and its *stage*
after Hannon et al. (2019), the network's own vocabulary (``ecosystem.models.Stage``). Both change
only through ``experiments/services.py``, which checks ``experiments/lifecycle.py`` and writes an
:class:`ExperimentEvent`: the timeline, with who, when, why and the evidence. Nothing is deleted.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecosystem.models import LessonTopic, Loop, Network, Person, Principle, Stage


class Standing(models.TextChoices):
    CANDIDATE = "candidate", _("candidate")
    ADOPTED = "adopted", _("the ecosystem's")
    STOPPED = "stopped", _("stopped")


class TargetGroup(models.TextChoices):
    CHILDREN = "children", _("children")
    YOUTH = "youth", _("young people")
    NEET = "neet", _("young people not in education, employment or training")
    JOBSEEKERS = "jobseekers", _("jobseekers")
    NEWCOMERS = "newcomers", _("newcomers")
    LOW_LITERACY = "low_literacy", _("adults with low literacy")
    DISABILITY = "disability", _("persons with a disability")
    EMPLOYEES = "employees", _("employees")
    SENIORS = "seniors", _("seniors")
    EVERYONE = "everyone", _("everyone")


class Experiment(models.Model):
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="experiments")
    title = models.CharField(_("title"), max_length=200)
    question = models.TextField(_("learning question or hypothesis"))
    trekker = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("trekker")
    )
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    target_groups_note = models.CharField(_("target groups, in your own words"), max_length=300, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.HYPOTHESIS)
    standing = models.CharField(_("standing"), max_length=20, choices=Standing.choices, default=Standing.CANDIDATE)
    # The adopted "adopt experiment" decision. A reference by name: decisions stays unaware of us.
    adopted_by = models.ForeignKey(
        "decisions.Proposal", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reopened_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reopened_as"
    )
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("experiment")
        verbose_name_plural = _("experiments")
        indexes = [models.Index(fields=["network", "standing", "stage"], name="experiment_board")]
        constraints = [
            models.CheckConstraint(
                condition=Q(standing="adopted", adopted_by__isnull=False) | ~Q(standing="adopted"),
                name="experiment_adopted_by_a_decision",
            ),
            models.CheckConstraint(
                condition=~Q(stage="mainstreaming") | ~Q(standing="candidate"),
                name="experiment_candidate_never_mainstreamed",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def target_group_labels(self) -> list[str]:
        return [str(TargetGroup(value).label) for value in self.target_groups if value in TargetGroup.values]


class PartnerRole(models.Model):
    """A partner of the network involved in the experiment, with its role in it."""

    experiment = models.ForeignKey(Experiment, on_delete=models.PROTECT, related_name="partner_roles")
    partnership = models.ForeignKey("partners.Partnership", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role in the experiment"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "partnership"], name="experiment_partner_once"),
        ]

    def __str__(self) -> str:
        return f"{self.partnership} ({self.role})" if self.role else str(self.partnership)


class FitStatement(models.Model):
    """How the experiment fits one of the network's simple principles. A principle archived later
    keeps its statements (both are protected)."""

    experiment = models.ForeignKey(Experiment, on_delete=models.PROTECT, related_name="fit_statements")
    principle = models.ForeignKey(Principle, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("how it fits"))
    written_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["principle__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "principle"], name="fit_statement_once_per_principle"),
        ]

    def __str__(self) -> str:
        return f"{self.principle}: {self.text[:60]}"


class EventKind(models.TextChoices):
    STARTED = "started", _("started as a candidate")
    MOVED = "moved", _("moved to another stage")
    ADOPTED = "adopted", _("adopted into the ecosystem")
    TREKKER = "trekker", _("trekker changed")
    STOPPED = "stopped", _("stopped")


class ExperimentEvent(models.Model):
    """One entry of an experiment's timeline. Written by a service only, never changed."""

    experiment = models.ForeignKey(Experiment, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("what"), max_length=20, choices=EventKind.choices)
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    why = models.TextField(_("why"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)
    trekker = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decision = models.ForeignKey(
        "decisions.Proposal", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("experiment event")
        verbose_name_plural = _("experiment events")

    def __str__(self) -> str:
        return f"{self.experiment}: {self.get_kind_display()}"

    @property
    def is_step_back(self) -> bool:
        order = Stage.values
        return bool(self.from_stage and self.to_stage) and order.index(self.to_stage) < order.index(self.from_stage)


class Lesson(models.Model):
    """A lesson learned, dated and tagged: about the content or the collaboration, and at which loop."""

    experiment = models.ForeignKey(Experiment, on_delete=models.PROTECT, related_name="lessons")
    on = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("lesson"))
    topic = models.CharField(_("about"), max_length=20, choices=LessonTopic.choices, default=LessonTopic.CONTENT)
    loop = models.CharField(_("loop"), max_length=20, choices=Loop.choices, default=Loop.SINGLE)
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    # Written with the stop: what the experiment leaves behind.
    at_stop = models.BooleanField(default=False)

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def __str__(self) -> str:
        return self.text[:80]


class Reach(models.Model):
    """Who the experiment reached on a date: a count per target group, never names; sessions held."""

    experiment = models.ForeignKey(Experiment, on_delete=models.PROTECT, related_name="reach")
    on = models.DateField(_("date"), default=timezone.localdate)
    target_group = models.CharField(_("target group"), max_length=20, choices=TargetGroup.choices)
    participants = models.PositiveIntegerField(_("participants reached"), default=0)
    sessions = models.PositiveIntegerField(_("sessions held"), default=0)
    first_evidence = models.TextField(_("first evidence of success"), blank=True)
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("reach")
        verbose_name_plural = _("reach")

    def __str__(self) -> str:
        return f"{self.experiment}: {self.participants} ({self.on})"


def _evidence_storage():
    from django.core.files.storage import storages

    return storages["evidence"]


def _random_name(instance: EvidenceFile, filename: str) -> str:
    """Never the uploader's filename: a random name with the extension of the detected type."""
    import secrets

    return f"{instance.experiment_id}/{secrets.token_urlsafe(24)}.{instance.extension}"


class EvidenceFile(models.Model):
    """A file that shows a stage move: checked by its content, stored under a random name outside the
    static root, and served only by a view that checks the reader's right in the network."""

    experiment = models.ForeignKey(Experiment, on_delete=models.PROTECT, related_name="evidence_files")
    event = models.ForeignKey(ExperimentEvent, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(storage=_evidence_storage, upload_to=_random_name, max_length=200)
    extension = models.CharField(max_length=8)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return f"{self.experiment}: evidence {self.pk}.{self.extension}"
