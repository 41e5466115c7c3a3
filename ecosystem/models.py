"""The shared network model: users, networks, persons and their roles.

Every other app builds on these; this module imports none of them.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A login. The person behind it, and their roles, live on :class:`Person`."""

    email = models.EmailField(_("e-mail address"), unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []  # type: ignore[misc]  # Django reads it as a class attribute

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.email


class Stage(models.TextChoices):
    """Development stages of a learning ecosystem, after Hannon et al. (2019)."""

    HYPOTHESIS = "hypothesis", _("Hypothesis and vision forming")
    CATALYSING = "catalysing", _("Catalysing and initiating")
    EXPERIMENTATION = "experimentation", _("Dynamic experimentation")
    MAINSTREAMING = "mainstreaming", _("Mainstreaming or sustaining")


class Loop(models.TextChoices):
    """The three loops of learning: shared by experiments' lessons and reflection's insights."""

    SINGLE = "single", _("single loop: doing things right")
    DOUBLE = "double", _("double loop: doing the right things")
    TRIPLE = "triple", _("triple loop: how we decide what is right")


class LessonTopic(models.TextChoices):
    """What a lesson or insight is about: the content, or the collaboration (process)."""

    CONTENT = "content", _("about the content")
    COLLABORATION = "collaboration", _("about the collaboration")


class GovernanceForm(models.TextChoices):
    """Forms of network governance, after Provan & Kenis and Cambré & Kenis."""

    SHARED = "shared", _("Shared participant governance")
    LEAD_ORGANISATION = "lead", _("Lead organisation")
    NAO = "nao", _("Network administrative organisation")


class Network(models.Model):
    """A learning ecosystem. Not a legal entity: this is where its agreements live."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in web addresses"), max_length=80, unique=True)
    site = models.CharField(_("site"), max_length=200, blank=True)
    target_group = models.TextField(_("target group"), blank=True)
    mission = models.TextField(_("mission"), blank=True)
    vision = models.TextField(_("vision"), blank=True)
    governance_form = models.CharField(
        _("governance form"), max_length=20, choices=GovernanceForm.choices, default=GovernanceForm.SHARED
    )
    lead_applicant = models.CharField(_("lead applicant"), max_length=200, blank=True)
    funding_programme = models.CharField(_("funding programme"), max_length=200, blank=True)
    co_financing_rate = models.DecimalField(
        _("co-financing rate (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    budget = models.DecimalField(
        _("project budget (EUR)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("The budget the co-financing rate applies to."),
    )
    stage = models.CharField(_("development stage"), max_length=20, choices=Stage.choices, default=Stage.HYPOTHESIS)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        # The permission vocabulary (ecosystem/permissions.py) is stored per network by guardian.
        permissions = [
            ("view_members", "Can see the persons of the network and their roles"),
            ("manage_members", "Can add persons, invite them, give and end roles"),
            ("view_contact_details", "Can see persons' e-mail addresses and phone numbers"),
            ("view_accountability", "Can read the aggregated accountability figures"),
            ("view_partners", "Can see the partners, their persons and contributions"),
            ("register_prospects", "Can register a prospective partner"),
            ("manage_partners", "Can record partners, their status and contributions"),
            ("view_proposals", "Can read proposals, their rounds and answers"),
            ("propose", "Can make a proposal"),
            ("take_part_in_decisions", "Can ask, react and answer in consent rounds"),
            ("manage_proposals", "Can manage proposals on behalf of the network"),
            ("view_experiments", "Can read the experiments, their timeline, reach and lessons"),
            ("run_experiments", "Can start an experiment and, as its trekker, move it"),
            ("manage_experiments", "Can move, stop and hand over any experiment of the network"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def network(self) -> Network:
        """Every network-scoped object answers ``.network``; the network itself too."""
        return self


class Principle(models.Model):
    """One of the network's simple principles, against which new ideas and partners are tested.

    Principles are archived, never deleted: later records (an experiment's fit statement) refer to them.
    """

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="principles")
    position = models.PositiveIntegerField()
    text = models.CharField(_("principle"), max_length=300)
    archived_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("principle")
        verbose_name_plural = _("principles")

    def __str__(self) -> str:
        return self.text


class StageChange(models.Model):
    """A recorded move of a network from one development stage to another. Written by a service only."""

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="stage_changes")
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    changed_at = models.DateTimeField(_("when"), default=timezone.now)
    changed_by = models.ForeignKey(
        "Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    reason = models.TextField(_("why"))
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.network}: {self.from_stage or '-'} → {self.to_stage}"


class Person(models.Model):
    """A person named in their own right, with or without a login.

    A person speaks for themselves in a network, not for their employer; ``affiliation`` only says
    where they work until the partners app links them to organisations.
    """

    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="person"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [
            models.UniqueConstraint(fields=["email"], condition=~Q(email=""), name="person_email_unique_when_set"),
        ]

    def __str__(self) -> str:
        return self.full_name


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("coordinator")
    COALITION_MEMBER = "coalition", _("coalition member")
    BROAD_PARTNER = "broad_partner", _("broad-partner representative")
    FUNDER = "funder", _("funder")
    FACILITATOR = "facilitator", _("facilitator")
    OBSERVER = "observer", _("observer")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(end_date__isnull=True)


class Membership(models.Model):
    """A person's role in a network, from a start date until it is ended.

    A person holds one row per role; ended rows stay as the record of who held which role when.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    start_date = models.DateField(_("start date"), default=timezone.localdate)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["network", "person__full_name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "network", "role"],
                condition=Q(end_date__isnull=True),
                name="membership_one_active_role",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} ({self.network})"

    @property
    def is_active(self) -> bool:
        return self.end_date is None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """A coordinator's invitation to a person to set a password and log in.

    Only the SHA-256 of the token is stored: the link in the e-mail is the only copy of the token.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="invitations")
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.network}"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class OutgoingEmail(models.Model):
    """An e-mail written in the same transaction as the change it reports (the outbox).

    A Celery task sends it after commit; a periodic task re-sends what is still pending, so an
    e-mail is never lost when the broker or worker was down, and ``sent_at`` keeps it from going twice.
    """

    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["sent_at", "created_at"], name="outbox_pending")]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
