"""Consent decisions: proposals, their versions, consent rounds and answers.

No boss decides; nobody decides alone. A proposal goes draft → clarifying questions → reactions →
consent round → adopted / not adopted (or withdrawn, or lapsed). Every state change goes through a
service in ``decisions/services/``; nothing here is ever deleted (every foreign key protects).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecosystem.models import Network, OutgoingEmail, Person, Role


class ProposalKind(models.TextChoices):
    GENERAL = "general", _("general")
    ADMIT_PARTNER = "admit_partner", _("admit a core partner")
    ADOPT_EXPERIMENT = "adopt_experiment", _("adopt an experiment into the ecosystem")
    EXPERIMENT_TO_MAINSTREAMING = "experiment_to_mainstreaming", _("move an experiment to mainstreaming")
    CHANGE_NETWORK_STAGE = "change_network_stage", _("change the network's stage")
    CHANGE_GOVERNANCE = "change_governance", _("change the governance")
    BUDGET = "budget", _("budget")


class Electorate(models.TextChoices):
    COALITION = "coalition", _("the coalition")
    NETWORK = "network", _("the whole network")


# Who may answer in a round, by electorate. Funders, facilitators and observers never answer.
ELECTORATE_ROLES: dict[str, tuple[str, ...]] = {
    Electorate.COALITION: (Role.COORDINATOR, Role.COALITION_MEMBER),
    Electorate.NETWORK: (Role.COORDINATOR, Role.COALITION_MEMBER, Role.BROAD_PARTNER),
}


class ProposalState(models.TextChoices):
    DRAFT = "draft", _("draft")
    QUESTIONS = "questions", _("clarifying questions")
    REACTIONS = "reactions", _("reactions")
    CONSENT_ROUND = "consent_round", _("consent round")
    ADOPTED = "adopted", _("adopted")
    NOT_ADOPTED = "not_adopted", _("not adopted")
    WITHDRAWN = "withdrawn", _("withdrawn")
    LAPSED = "lapsed", _("lapsed")


# States a proposal never leaves. NOT_ADOPTED is not one: the proposer may integrate the objections
# into a new version, which opens the way to a new round.
FINAL_STATES = frozenset({ProposalState.ADOPTED, ProposalState.WITHDRAWN, ProposalState.LAPSED})
# States with an outcome: what the register lists and the page shows an outcome for. The one
# definition of "decided"; the order is the list page's.
DECIDED_STATES = (ProposalState.ADOPTED, ProposalState.NOT_ADOPTED, ProposalState.LAPSED, ProposalState.WITHDRAWN)


class Proposal(models.Model):
    """A proposal to the network: the need behind it (driver), versioned text, and its life."""

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="proposals")
    title = models.CharField(_("title"), max_length=200)
    driver = models.TextField(_("driver"), help_text=_("The need or tension this proposal answers."))
    kind = models.CharField(_("kind"), max_length=40, choices=ProposalKind.choices, default=ProposalKind.GENERAL)
    # What the proposal is about (a partnership, an experiment), when its kind has an effect on it.
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    # What the effect needs besides the subject, e.g. {"to_stage": "catalysing"}; see decisions/effects.py.
    effect_params = models.JSONField(_("effect parameters"), default=dict, blank=True)
    electorate = models.CharField(
        _("electorate"), max_length=20, choices=Electorate.choices, default=Electorate.COALITION
    )
    proposer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("proposer"))
    state = models.CharField(_("state"), max_length=20, choices=ProposalState.choices, default=ProposalState.DRAFT)
    state_changed_at = models.DateTimeField(default=timezone.now)
    state_changed_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    outcome = models.TextField(_("outcome"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # Proposed with the proposal (optional); fixed at adoption ("good enough for now, safe enough to try").
    review_date = models.DateField(_("review date"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [
            models.Index(fields=["network", "state"], name="proposal_network_state"),
            models.Index(fields=["content_type", "object_id"], name="proposal_subject"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__isnull=True, object_id__isnull=True)
                | Q(content_type__isnull=False, object_id__isnull=False),
                name="proposal_subject_complete_or_empty",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_adopted(self) -> bool:
        """True once the electorate adopted it; also while its effect is carried out at closing."""
        return self.state == ProposalState.ADOPTED

    def is_due_for_review(self, on: datetime.date) -> bool:
        """An adopted decision whose review date has come (``selectors.decisions_due_for_review``
        asks the same of the database)."""
        return self.state == ProposalState.ADOPTED and self.review_date is not None and self.review_date <= on

    @property
    def is_decided(self) -> bool:
        return self.state in DECIDED_STATES

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES


class ProposalVersion(models.Model):
    """One version of the proposal text. Versions are added, never edited."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("proposal"))
    change_note = models.TextField(_("what changed"), blank=True)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["proposal", "number"]
        verbose_name = _("proposal version")
        verbose_name_plural = _("proposal versions")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="proposal_version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} (v{self.number})"


class ClarifyingQuestion(models.Model):
    """A question to understand the proposal, answered by the proposer."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="questions")
    version = models.ForeignKey(ProposalVersion, on_delete=models.PROTECT, related_name="+")
    asked_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("asked by"))
    text = models.TextField(_("question"))
    asked_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "id"]
        verbose_name = _("clarifying question")
        verbose_name_plural = _("clarifying questions")

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def network(self) -> Network:
        return self.proposal.network


class Reaction(models.Model):
    """A reaction to the proposal. From someone outside the electorate (a broad partner on a
    coalition decision) it is advice: heard, but that person does not answer in the round."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="reactions")
    version = models.ForeignKey(ProposalVersion, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    text = models.TextField(_("reaction"))
    is_advice = models.BooleanField(_("advice"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")

    def __str__(self) -> str:
        return self.text[:80]


class RoundResult(models.TextChoices):
    ADOPTED = "adopted", _("adopted")
    NOT_ADOPTED = "not_adopted", _("not adopted")
    LAPSED = "lapsed", _("lapsed")
    # A new version integrating an objection replaced the round before it closed.
    SUPERSEDED = "superseded", _("replaced by a new version")
    WITHDRAWN = "withdrawn", _("withdrawn")


class RoundReason(models.TextChoices):
    """Why a round did not adopt; a round may have several."""

    OBJECTION = "objection", _("a standing objection")
    QUORUM_MISSED = "quorum_missed", _("the quorum was not reached")
    TOO_FEW_CONSENTS = "too_few_consents", _("fewer than two persons besides the proposer consented")
    EFFECT_FAILED = "effect_failed", _("the decision could not be carried out")


class ConsentRound(models.Model):
    """A round in which every eligible person answers on one version, until the deadline.

    The electorate is fixed when the round opens (``electors``, ``eligible_persons``), and so is the
    quorum: a role given or a setting changed later does not move the goalposts of a round under way.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="rounds")
    number = models.PositiveIntegerField(_("round"))
    version = models.ForeignKey(ProposalVersion, on_delete=models.PROTECT, related_name="rounds")
    eligible_persons = models.ManyToManyField(
        Person, through="Elector", related_name="+", through_fields=("round", "person")
    )
    quorum = models.PositiveIntegerField(_("quorum"))
    hide_answers_until_close = models.BooleanField(_("hide answers until the round closes"), default=False)
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    deadline = models.DateTimeField(_("deadline"))
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    result = models.CharField(_("result"), max_length=20, choices=RoundResult.choices, blank=True)
    reasons = models.JSONField(default=list, blank=True)  # RoundReason values
    effect_error = models.TextField(blank=True)
    # The tally at closing, kept with the round (the answers are kept too).
    electorate_size = models.PositiveIntegerField(default=0)
    answered_count = models.PositiveIntegerField(null=True, blank=True)
    consent_count = models.PositiveIntegerField(null=True, blank=True)
    concern_count = models.PositiveIntegerField(null=True, blank=True)
    objection_count = models.PositiveIntegerField(null=True, blank=True)
    stand_aside_count = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["proposal", "number"]
        verbose_name = _("consent round")
        verbose_name_plural = _("consent rounds")
        indexes = [models.Index(fields=["closed_at", "deadline"], name="round_open_deadline")]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="round_number_unique"),
            models.UniqueConstraint(
                fields=["proposal"], condition=Q(closed_at__isnull=True), name="one_open_round_per_proposal"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} (round {self.number})"

    @property
    def network(self) -> Network:
        return self.proposal.network

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Elector(models.Model):
    """A person eligible to answer in a round, and the role that made them eligible at opening."""

    round = models.ForeignKey(ConsentRound, on_delete=models.PROTECT, related_name="electors")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    # Whose voice this person gives (decisions/voices.py): their own, or their organisation's.
    voice = models.CharField(max_length=60, default="")
    voice_label = models.CharField(_("answers for"), max_length=200, blank=True)
    speaks_for = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Set for a deputy: the representative whose answer comes first.",
    )

    class Meta:
        ordering = ["round", "person__full_name"]
        verbose_name = _("elector")
        verbose_name_plural = _("electors")
        constraints = [models.UniqueConstraint(fields=["round", "person"], name="elector_once_per_round")]

    def __str__(self) -> str:
        return f"{self.person} ({self.round})"


class AnswerKind(models.TextChoices):
    CONSENT = "consent", _("consent")
    CONCERN = "concern", _("consent with a concern")
    OBJECTION = "objection", _("objection")
    STAND_ASIDE = "stand_aside", _("stand aside")


# Kinds that count as consent for adoption; a concern is recorded but does not block.
CONSENTING = frozenset({AnswerKind.CONSENT, AnswerKind.CONCERN})


class Answer(models.Model):
    """A person's answer in a round, on the round's version.

    A changed answer adds a row and marks the earlier one not current: the latest counts, the
    history stays. A database constraint keeps one current answer per person per round.
    """

    round = models.ForeignKey(ConsentRound, on_delete=models.PROTECT, related_name="answers")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(ProposalVersion, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("answer"), max_length=20, choices=AnswerKind.choices)
    # The objection's reason (required) or the concern (required); optional otherwise.
    reason = models.TextField(_("reason"), blank=True)
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    # With one voice per organisation: the representative a deputy answered in place of.
    answered_for = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    voice: str  # not stored: set by selectors.counted_answers (whose voice the answer gives)

    class Meta:
        ordering = ["round", "created_at", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["round", "is_current"], name="answer_round_current")]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "person"], condition=Q(is_current=True), name="one_current_answer_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()}"


class DecisionSettings(models.Model):
    """How a network decides. A network without a row uses the defaults."""

    network = models.OneToOneField(Network, on_delete=models.PROTECT, related_name="decision_settings")
    quorum_fraction = models.DecimalField(
        _("quorum"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.00"))],
        help_text=_("The share of the electorate that must answer (0.50 is half, rounded up)."),
    )
    one_voice_per_organisation = models.BooleanField(_("one voice per organisation"), default=False)
    review_after_days = models.PositiveIntegerField(
        _("review after (days)"),
        default=180,
        validators=[MinValueValidator(1)],
        help_text=_("When an adopted decision without its own review date comes up for review."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision settings")
        verbose_name_plural = _("decision settings")

    def __str__(self) -> str:
        return str(self.network)


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("an e-mail for each message")
    DAILY_DIGEST = "daily_digest", _("one e-mail a day")


class NotificationPreference(models.Model):
    """How a person wants to hear about decisions. A person without a row gets each e-mail at once."""

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="notification_preference")
    delivery = models.CharField(_("e-mail"), max_length=20, choices=Delivery.choices, default=Delivery.IMMEDIATE)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.person}: {self.delivery}"


class DigestItem(models.Model):
    """A message waiting for a person's daily digest, rendered when it happened."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=300)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    email = models.ForeignKey(OutgoingEmail, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["sent_at", "person"], name="digest_pending")]

    def __str__(self) -> str:
        return f"{self.person}: {self.subject}"
