"""Reads for partners, each shaped once so a page's query count does not grow with the data."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from ecosystem.models import Membership, Network, Person
from partners.models import (
    Affiliation,
    Contribution,
    ContributionKind,
    Organisation,
    Partnership,
    PartnershipEvent,
    Status,
    Tier,
)


def partnerships(network: Network) -> QuerySet[Partnership]:
    # sort_name: an individual partner sorts by their own name, not as a partner without a name.
    return (
        Partnership.objects.filter(network=network)
        .select_related("organisation", "person")
        .annotate(sort_name=Coalesce("organisation__name", "person__full_name"))
    )


def admission_candidates(network: Network) -> QuerySet[Partnership]:
    """The partners an admission to the core can be about: not core yet, not left (what
    ``effects.check_admission`` accepts). Registered as the admission's ``subjects``."""
    return (
        partnerships(network).exclude(tier=Tier.CORE).exclude(status=Status.LEFT).order_by("sort_name", "pk")  # type: ignore[misc]  # sort_name is the annotation above
    )


def partnership_detail(network: Network, pk: int) -> Partnership:
    """One partnership with its timeline and ledger prefetched (raises DoesNotExist outside the network)."""
    return (
        partnerships(network)
        .select_related("representative", "deputy")
        .prefetch_related(
            Prefetch("events", queryset=PartnershipEvent.objects.select_related("by").order_by("-on", "-id")),
            Prefetch(
                "contributions",
                queryset=Contribution.objects.order_by("-on", "-id"),
            ),
        )
        .get(pk=pk)
    )


def already_partners(network: Network, organisations: Iterable[Organisation]) -> set[int]:
    """The ids of those of ``organisations`` that are partners of ``network`` already, in any tier or status.

    The one answer to "already a partner?" for the bulk add and the import (one query). It is about
    the organisation, never a name compared by hand: find a name's organisation with
    ``services.find_or_create_organisation``, which holds the rule for matching names. An individual
    partner who bears that name, or the organisation's partnership in another network, does not count.
    """
    ids = {organisation.pk for organisation in organisations}
    partnered = Partnership.objects.filter(network=network, organisation_id__in=ids)
    return set(partnered.values_list("organisation_id", flat=True))


@dataclass(frozen=True)
class PartnerPerson:
    person: Person
    function: str = ""


def persons_of(partnership: Partnership) -> list[PartnerPerson]:
    """The persons who speak in this network for or as this partner (with an active role there)."""
    if partnership.person is not None:
        return [PartnerPerson(partnership.person)]
    in_network = Membership.objects.active().filter(network_id=partnership.network_id).values("person_id")
    affiliations = (
        Affiliation.objects.filter(organisation=partnership.organisation, person_id__in=in_network)
        .select_related("person")
        .order_by("person__full_name")
    )
    return [PartnerPerson(a.person, a.function) for a in affiliations]


@dataclass(frozen=True)
class PartnerOnDate:
    partnership: Partnership
    tier: str
    status: str

    @property
    def tier_label(self) -> str:
        return str(Tier(self.tier).label)


def partners_on(network: Network, on: datetime.date) -> list[PartnerOnDate]:
    """The active partners of a network on a date, with the tier they had then (one query)."""
    latest: dict[int, PartnershipEvent] = {}
    events = (
        PartnershipEvent.objects.filter(partnership__network=network, on__lte=on)
        .select_related("partnership__organisation", "partnership__person")
        .order_by("on", "recorded_at", "id")
    )
    for event in events:
        latest[event.partnership_id] = event
    rows = [
        PartnerOnDate(event.partnership, event.tier, event.status)
        for event in latest.values()
        if event.status == Status.ACTIVE
    ]
    return sorted(rows, key=lambda row: (row.tier != Tier.CORE, row.partnership.name.casefold()))


@dataclass(frozen=True)
class GrowthPoint:
    month: datetime.date
    core: int
    broad: int

    @property
    def total(self) -> int:
        return self.core + self.broad


def growth_by_month(network: Network, months: int = 12, today: datetime.date | None = None) -> list[GrowthPoint]:
    """Active core and broad partners at the end of each of the last ``months`` months (one query)."""
    today = today or timezone.localdate()
    month_ends: list[datetime.date] = []
    year, month = today.year, today.month
    for _ in range(months):
        month_ends.append(today if not month_ends else _month_end(year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    month_ends.reverse()
    events = list(
        PartnershipEvent.objects.filter(partnership__network=network, on__lte=today)
        .order_by("on", "recorded_at", "id")
        .values_list("partnership_id", "on", "tier", "status")
    )
    state: dict[int, tuple[str, str]] = {}
    points, i = [], 0
    for end in month_ends:
        while i < len(events) and events[i][1] <= end:
            partnership_id, _on, tier, status = events[i]
            state[partnership_id] = (tier, status)
            i += 1
        counts = Counter(tier for tier, status in state.values() if status == Status.ACTIVE)
        points.append(GrowthPoint(end.replace(day=1), counts[Tier.CORE], counts[Tier.BROAD]))
    return points


def _month_end(year: int, month: int) -> datetime.date:
    first_of_next = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return first_of_next - datetime.timedelta(days=1)


def tier_status_counts(network: Network) -> dict[str, dict[str, int]]:
    rows = Partnership.objects.filter(network=network).values("tier", "status").annotate(n=Count("id"))
    table: dict[str, dict[str, int]] = defaultdict(dict)
    for row in rows:
        table[row["tier"]][row["status"]] = row["n"]
    return table


def type_counts(network: Network) -> list[tuple[str, int]]:
    """Active partners per organisation type (individual persons counted apart)."""
    rows = (
        Partnership.objects.filter(network=network, status=Status.ACTIVE)
        .values("organisation__type")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    return [(row["organisation__type"] or "person", row["n"]) for row in rows]


def reason_counts(network: Network) -> Counter[str]:
    counter: Counter[str] = Counter()
    for reasons in Partnership.objects.filter(network=network).values_list("reasons", flat=True):
        counter.update(reasons or [])
    return counter


# --- Ledger ---------------------------------------------------------------------------------------


def ledger(network: Network, start: datetime.date | None = None, end: datetime.date | None = None) -> QuerySet:
    entries = (
        Contribution.objects.filter(partnership__network=network)
        .select_related("partnership__organisation", "partnership__person")
        .annotate(correction_exists=Exists(Contribution.objects.filter(corrects=OuterRef("pk"))))
    )
    if start:
        entries = entries.filter(on__gte=start)
    if end:
        entries = entries.filter(on__lte=end)
    return entries.order_by("-on", "-id")


@dataclass
class LedgerTotals:
    by_partner: list[dict]
    by_kind: list[dict]
    by_month: list[dict]
    total_value: Decimal
    required_cofinancing: Decimal | None

    @property
    def cofinancing_share(self) -> Decimal | None:
        """Recorded value against what the funding programme asks (budget × co-financing rate)."""
        if not self.required_cofinancing:
            return None
        return (self.total_value / self.required_cofinancing * 100).quantize(Decimal("0.1"))


def ledger_totals(
    network: Network, start: datetime.date | None = None, end: datetime.date | None = None
) -> LedgerTotals:
    """Totals per partner, per kind and per month, and the co-financing share (three queries)."""
    entries = ledger(network, start, end).order_by()
    by_partner = list(
        entries.values("partnership_id", "partnership__organisation__name", "partnership__person__full_name")
        .annotate(
            value=Sum("value_eur"),
            entries=Count("id"),
            hours=Sum("quantity", filter=Q(kind__in=[ContributionKind.HOURS, ContributionKind.EXPERTISE])),
        )
        .order_by("-value")
    )
    for row in by_partner:
        row["name"] = row["partnership__organisation__name"] or row["partnership__person__full_name"]
    by_kind = list(entries.values("kind").annotate(quantity=Sum("quantity"), value=Sum("value_eur")).order_by("kind"))
    for row in by_kind:
        row["label"] = ContributionKind(row["kind"]).label
    by_month = list(
        entries.annotate(month=TruncMonth("on")).values("month").annotate(value=Sum("value_eur")).order_by("month")
    )
    total = sum((row["value"] or Decimal(0) for row in by_kind), Decimal(0))
    required = None
    if network.budget is not None and network.co_financing_rate is not None:
        required = (network.budget * network.co_financing_rate / 100).quantize(Decimal("0.01"))
    return LedgerTotals(by_partner, by_kind, by_month, total, required)


def organisation_voices(network: Network) -> list:
    """Who speaks for which partner organisation, for "one voice per organisation" (decisions/voices.py).

    Active or paused partner organisations with a representative; their members are the persons
    affiliated with them. Two queries.
    """
    from decisions.voices import OrganisationVoice

    with_voice = list(
        Partnership.objects.filter(
            network=network,
            organisation__isnull=False,
            representative__isnull=False,
            status__in=[Status.ACTIVE, Status.PAUSED],
        )
        .select_related("organisation")
        .order_by("organisation__name")
    )
    members: dict[int, set[int]] = defaultdict(set)
    for organisation_id, person_id in Affiliation.objects.filter(
        organisation__in=[p.organisation_id for p in with_voice]
    ).values_list("organisation_id", "person_id"):
        members[organisation_id].add(person_id)
    return [
        OrganisationVoice(
            key=f"partnership:{p.pk}",
            label=p.name,
            representative_id=p.representative_id,
            deputy_id=p.deputy_id,
            member_ids=frozenset(members[p.organisation_id]),
        )
        for p in with_voice
        if p.representative_id is not None and p.organisation_id is not None
    ]
