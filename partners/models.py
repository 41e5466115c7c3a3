"""Partners of a network: organisations and individual persons, their partnership over time, and
the contribution ledger ("halen en brengen": what each partner gives).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecosystem.models import Network, Person


class OrganisationType(models.TextChoices):
    LOCAL_GOVERNMENT = "local_government", _("local government")
    SCHOOL = "school", _("school or training provider")
    YOUTH_WORK = "youth_work", _("youth work")
    SPORT = "sport", _("sport")
    CARE_WELFARE = "care_welfare", _("care and welfare")
    ARTS_CULTURE = "arts_culture", _("arts and culture")
    KNOWLEDGE = "knowledge", _("knowledge institution")
    ENTREPRENEUR = "entrepreneur", _("entrepreneur")
    SOCIAL = "social", _("social organisation")
    LIBRARY = "library", _("library")
    OTHER = "other", _("other")


class Organisation(models.Model):
    """A sovereign organisation. It may take part in several networks, each through a partnership."""

    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=20, choices=OrganisationType.choices, default=OrganisationType.OTHER)
    address = models.CharField(_("address"), max_length=300, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [models.UniqueConstraint(Lower("name"), name="organisation_name_unique")]

    def __str__(self) -> str:
        return self.name


class Affiliation(models.Model):
    """A person works at or for an organisation. Their voice in a network stays their own."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="affiliations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="affiliations")
    function = models.CharField(_("function"), max_length=150, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [models.UniqueConstraint(fields=["person", "organisation"], name="affiliation_unique")]

    def __str__(self) -> str:
        return f"{self.person} @ {self.organisation}"


class Tier(models.TextChoices):
    CORE = "core", _("core partner")
    BROAD = "broad", _("broad partner")


class Status(models.TextChoices):
    PROSPECTIVE = "prospective", _("prospective")
    ACTIVE = "active", _("active")
    PAUSED = "paused", _("paused")
    LEFT = "left", _("left")


# Which status may follow which: a partner who left can come back.
STATUS_FLOW: dict[str, set[str]] = {
    Status.PROSPECTIVE: {Status.ACTIVE, Status.LEFT},
    Status.ACTIVE: {Status.PAUSED, Status.LEFT},
    Status.PAUSED: {Status.ACTIVE, Status.LEFT},
    Status.LEFT: {Status.ACTIVE},
}


class Reason(models.TextChoices):
    """Why partners join a learning network (seeds/001)."""

    LEARNING = "learning", _("learning from other partners")
    MISSION = "mission", _("the mission fits ours")
    IMPACT = "impact", _("greater impact than alone")
    TARGET_GROUPS = "target_groups", _("reaching new target groups")
    LOCAL = "local", _("local partnership")
    RESOURCES = "resources", _("access to resources or infrastructure")
    OTHER = "other", _("other")


class Offer(models.TextChoices):
    """What a partner brings to the network."""

    EXPERTISE = "expertise", _("expertise")
    TARGET_GROUP = "target_group", _("access to a target group")
    RESOURCES = "resources", _("resources")
    CAPACITY = "capacity", _("capacity")


class Partnership(models.Model):
    """An organisation, or an individual person, taking part in a network.

    ``tier`` and ``status`` change only through the services, each change leaving a
    :class:`PartnershipEvent`; the core tier is reached only through an adopted consent decision.
    """

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="partnerships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="partnerships"
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnerships",
        verbose_name=_("individual partner"),
    )
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices, default=Tier.BROAD)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROSPECTIVE)
    status_since = models.DateField(_("since"), default=timezone.localdate)
    reasons = models.JSONField(_("why they joined"), default=list, blank=True)
    reasons_note = models.TextField(_("more about why"), blank=True)
    offers = models.JSONField(_("what they bring"), default=list, blank=True)
    offers_note = models.TextField(_("more about what they bring"), blank=True)
    representative = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("representative")
    )
    deputy = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("deputy")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False) & Q(person__isnull=True))
                | (Q(organisation__isnull=True) & Q(person__isnull=False)),
                name="partnership_organisation_or_person",
            ),
            models.UniqueConstraint(
                fields=["network", "organisation"],
                condition=Q(organisation__isnull=False),
                name="partnership_one_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["network", "person"], condition=Q(person__isnull=False), name="partnership_one_per_person"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return str(self.organisation or self.person)

    @property
    def is_organisation(self) -> bool:
        return self.organisation_id is not None

    @property
    def reason_labels(self) -> list[str]:
        return [str(Reason(value).label) for value in self.reasons]

    @property
    def offer_labels(self) -> list[str]:
        return [str(Offer(value).label) for value in self.offers]


class EventKind(models.TextChoices):
    JOINED = "joined", _("registered")
    STATUS = "status", _("status change")
    TIER = "tier", _("tier change")


class PartnershipEvent(models.Model):
    """A dated change of a partnership: the timeline, and the source of "partners on date X"."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=10, choices=EventKind.choices)
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    on = models.DateField(_("on"))
    recorded_at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.TextField(_("why"), blank=True)
    decision_ref = models.CharField(
        max_length=100, blank=True, help_text="The adopted decision behind a core admission"
    )

    class Meta:
        ordering = ["on", "recorded_at", "id"]
        verbose_name = _("partnership event")
        verbose_name_plural = _("partnership events")

    def __str__(self) -> str:
        return f"{self.partnership} {self.on}: {self.tier}/{self.status}"


class ContributionKind(models.TextChoices):
    HOURS = "hours", _("hours")
    MONEY = "money", _("money")
    ROOMS = "rooms", _("rooms")
    MATERIAL = "material", _("material")
    EXPERTISE = "expertise", _("expertise")


# The unit a contribution's quantity is counted in.
CONTRIBUTION_UNITS = {
    ContributionKind.HOURS: _("hours"),
    ContributionKind.MONEY: "EUR",
    ContributionKind.ROOMS: _("half-days"),
    ContributionKind.MATERIAL: _("items"),
    ContributionKind.EXPERTISE: _("hours"),
}


class Contribution(models.Model):
    """One entry of the ledger. Never edited: a mistake is corrected by a counter-entry."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="contributions")
    kind = models.CharField(_("kind"), max_length=10, choices=ContributionKind.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    value_eur = models.DecimalField(
        _("value (EUR)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("What it is worth in euro, for the co-financing. Money counts at its amount."),
    )
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    for_experiment = models.CharField(
        _("for experiment"), max_length=200, blank=True, help_text=_("Empty when it is given to the network.")
    )
    corrects = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="correction")
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.CheckConstraint(
                condition=Q(value_eur__isnull=True) | Q(value_eur__gte=0) | Q(corrects__isnull=False),
                name="contribution_value_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.quantity} {self.kind} on {self.on}"

    @property
    def unit(self) -> str:
        return str(CONTRIBUTION_UNITS[ContributionKind(self.kind)])
