"""The partner pages: what each shows and to whom, query budgets, filters, the forms and their refusals.

New partner strings are not translated yet, so most requests here ask for English
(``django_language`` cookie); the statuses per persona are in tests/test_permission_matrix.py.
"""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ecosystem.models import Person, Role
from partners import services
from partners.forms import RegisterPartnerForm
from partners.models import (
    Affiliation,
    Contribution,
    Organisation,
    Partnership,
    PartnershipEvent,
    Status,
    Tier,
)
from tests.conftest import World
from tests.decisions.factories import admit_by_consent
from tests.factories import make_contribution, make_partnership, make_person
from tests.helpers import english, messages_of, page_text
from tests.queries import assert_constant_queries

TODAY = timezone.localdate()
TOMORROW = TODAY + datetime.timedelta(days=1)
YESTERDAY = TODAY - datetime.timedelta(days=1)


@dataclass
class Decision:
    network_id: int
    is_adopted: bool = True
    pk: int = 1


def url(name: str, world: World, *args) -> str:
    return reverse(name, args=[world.network.slug, *args])


def table_names(response) -> list[str]:
    """The partner names in the list's table, in the order shown."""
    return [row.record.name for row in response.context["table"].paginated_rows]


def ledger_snapshot() -> dict:
    return {
        "organisations": sorted(Organisation.objects.values_list("pk", "name", "website")),
        "partnerships": sorted(
            Partnership.objects.values_list(
                "pk", "tier", "status", "status_since", "reasons", "offers", "representative", "deputy"
            )
        ),
        "events": PartnershipEvent.objects.count(),
        "contributions": sorted(Contribution.objects.values_list("pk", "quantity", "value_eur", "on")),
        "affiliations": Affiliation.objects.count(),
    }


@pytest.fixture
def unchanged(world: World):
    """Asserts after the test that no partner, event, contribution or organisation changed."""
    before = ledger_snapshot()
    yield
    assert ledger_snapshot() == before


# --- query budgets -------------------------------------------------------------------------------


def test_the_partner_list_query_count_does_not_grow_with_the_partners(world: World):
    client = world.client("coordinator")

    def grow(k: int) -> None:
        for _ in range(k):
            partnership = make_partnership(world.network, reasons=["learning"])
            make_contribution(partnership)

    assert_constant_queries(lambda: client.get(url("partner_list", world)), grow, budget=9)


def test_the_partner_detail_query_count_does_not_grow_with_its_ledger_and_timeline(world: World):
    partnership = make_partnership(world.network, since=TODAY - datetime.timedelta(days=400))
    for persona in ("coalition", "broad_partner"):
        services.affiliate(
            person=world.persons[persona], organisation=partnership.organisation, function="staff", by=None
        )
    services.update_partnership(
        partnership=partnership,
        representative=world.persons["coalition"],
        deputy=world.persons["broad_partner"],
        by=None,
    )
    coordinator, reader = world.client("coordinator"), world.client("broad_partner")
    detail = url("partner_detail", world, partnership.pk)
    coordinator_user = world.user("coordinator")

    def grow(k: int) -> None:
        for _ in range(k):
            make_contribution(partnership)
            status = Status.PAUSED if partnership.events.last().status == Status.ACTIVE else Status.ACTIVE
            services.change_status(partnership=partnership, to_status=status, by=coordinator_user)

    assert_constant_queries(lambda: coordinator.get(detail), grow, budget=12)
    assert partnership.contributions.count() == 100 and partnership.events.count() == 101
    # A reader gets the same page without the forms; it too stays flat.
    assert_constant_queries(lambda: reader.get(detail), grow, sizes=(100, 110), budget=10)


# --- the list: filters, search, sorting ----------------------------------------------------------


@pytest.fixture
def partners(world: World) -> dict[str, Partnership]:
    def register(name, type_, municipality="", **kwargs):
        organisation, _ = services.find_or_create_organisation(name=name, type=type_, municipality=municipality)
        return services.register_partner(network=world.network, organisation=organisation, by=None, **kwargs)

    made = {
        "stad": register(
            "Stad Borgloon", "local_government", "Borgloon", status="active", reasons=["local", "mission"]
        ),
        "biejke": register("Jeugdhuis 't Biejke", "youth_work", "Borgloon", status="active", reasons=["local"]),
        "pibo": register("PIBO Campus", "school", "Tongeren", status="active", reasons=["learning"]),
        "speelboom": register("De Speelboom", "care_welfare", "Borgloon", status="prospective", reasons=["other"]),
        "loon": register("Sportclub Loon", "sport", "Borgloon", status="active", reasons=["target_groups"]),
    }
    made["person"] = services.register_partner(
        network=world.network, person=world.persons["facilitator"], status="active", by=None, reasons=["learning"]
    )
    admit_by_consent(world, made["stad"])
    admit_by_consent(world, made["pibo"])
    services.change_status(partnership=made["loon"], to_status=Status.PAUSED, by=None)
    make_partnership(world.other_network, "Stad Genk", reasons=["local"])
    return made


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {},
            [
                "PIBO Campus",
                "Stad Borgloon",
                "De Speelboom",
                "Facilitator Person",
                "Jeugdhuis 't Biejke",
                "Sportclub Loon",
            ],
        ),
        ({"tier": "core"}, ["PIBO Campus", "Stad Borgloon"]),
        ({"tier": "broad"}, ["De Speelboom", "Facilitator Person", "Jeugdhuis 't Biejke", "Sportclub Loon"]),
        ({"status": "prospective"}, ["De Speelboom"]),
        ({"status": "paused"}, ["Sportclub Loon"]),
        ({"type": "youth_work"}, ["Jeugdhuis 't Biejke"]),
        ({"reason": "local"}, ["Stad Borgloon", "Jeugdhuis 't Biejke"]),
        ({"reason": "learning"}, ["PIBO Campus", "Facilitator Person"]),
        ({"q": "borgloon"}, ["Stad Borgloon", "De Speelboom", "Jeugdhuis 't Biejke", "Sportclub Loon"]),  # municipality
        ({"q": "campus"}, ["PIBO Campus"]),
        ({"q": "facilitator"}, ["Facilitator Person"]),  # an individual partner, found by name
        ({"q": "Genk"}, []),  # another network's partner
        ({"tier": "broad", "status": "active", "q": "borgloon"}, ["Jeugdhuis 't Biejke"]),
    ],
)
def test_the_filters_and_the_search_narrow_the_table(world: World, partners, query, expected):
    response = world.client("broad_partner").get(url("partner_list", world), query)
    assert response.status_code == 200
    assert table_names(response) == expected
    content = response.content.decode()
    for name in expected:
        assert f">{html.escape(name)}</a>" in content


SORTED = ["De Speelboom", "Facilitator Person", "Jeugdhuis 't Biejke", "PIBO Campus", "Sportclub Loon", "Stad Borgloon"]


@pytest.mark.parametrize(("sort", "expected"), [("name", SORTED), ("-name", SORTED[::-1])])
def test_sorting_by_a_column(world: World, partners, sort, expected):
    response = world.client("coordinator").get(url("partner_list", world), {"sort": sort})
    assert table_names(response) == expected


def test_the_column_headers_link_to_sorting(world: World, partners):
    content = world.client("coordinator").get(url("partner_list", world)).content.decode()
    # The table is sorted by tier (core first), then name: the next click on those reverses them.
    for link in ("?sort=-name", "?sort=type", "?sort=tier", "?sort=status", "?sort=status_since"):
        assert f'href="{link}"' in content


def test_the_list_pages_at_fifty(world: World):
    for n in range(55):
        make_partnership(world.network, f"Partner {n:02d}")
    client = world.client("coordinator")
    first = client.get(url("partner_list", world), {"sort": "name"})
    second = client.get(url("partner_list", world), {"sort": "name", "page": 2})
    assert table_names(first)[0] == "Partner 00" and len(table_names(first)) == 50
    assert table_names(second) == [f"Partner {n}" for n in range(50, 55)]


def test_partners_on_a_date_page_lists_who_was_active_then(world: World, partners):
    response = english(world.client("broad_partner")).get(url("partners_on_date", world), {"on": TODAY.isoformat()})
    content = page_text(response)
    assert "4 active partners on" in content
    assert "De Speelboom" not in content and "Sportclub Loon" not in content
    bad = english(world.client("broad_partner")).get(url("partners_on_date", world), {"on": "yesterday"})
    assert "Enter a valid date" in page_text(bad)


# --- persons' contact details --------------------------------------------------------------------


@pytest.fixture
def persons_at_partners(world: World) -> list[Person]:
    """Everyone in the world works at a partner, with a function; some with an extra login-less colleague."""
    jeugdhuis = make_partnership(world.network, "Jeugdhuis 't Biejke")
    stad = make_partnership(world.network, "Stad Borgloon")
    colleague = make_person(world.network, Role.BROAD_PARTNER, name="Colleague Without Login", login=False)
    for persona, partnership in (
        ("coordinator", stad),
        ("coalition", jeugdhuis),
        ("broad_partner", jeugdhuis),
        ("facilitator", stad),
        ("funder", stad),
        ("observer", stad),
    ):
        services.affiliate(
            person=world.persons[persona], organisation=partnership.organisation, function="staff", by=None
        )
    services.affiliate(person=colleague, organisation=jeugdhuis.organisation, function="youth worker", by=None)
    services.update_partnership(partnership=jeugdhuis, representative=world.persons["coalition"], by=None)
    make_contribution(jeugdhuis)
    persons = list(Person.objects.all())
    assert all(p.email and p.phone for p in persons if p != colleague)
    assert colleague.email and colleague.phone
    return persons


def _contact_details(persons: list[Person]) -> list[str]:
    details = []
    for person in persons:
        details += [person.email, person.phone, html.escape(person.phone)]
    return [d for d in details if d]


@pytest.mark.parametrize("name", ["home", "network_detail", "partner_overview"])
def test_a_funder_sees_no_persons_contact_details_anywhere_they_can_read(world: World, persons_at_partners, name):
    client = world.client("funder")
    response = client.get(reverse(name) if name == "home" else url(name, world))
    assert response.status_code == 200
    content = response.content.decode()
    leaked = [detail for detail in _contact_details(persons_at_partners) if detail in content]
    assert leaked == []


def test_the_funders_overview_shows_the_aggregates(world: World, persons_at_partners):
    content = page_text(english(world.client("funder")).get(url("partner_overview", world)))
    assert "Partners overview" in content and "Total value" in content
    assert "Jeugdhuis" not in content and "Colleague Without Login" not in content  # no partner, no person


@pytest.mark.parametrize("name", ["partner_list", "partners_on_date", "ledger", "partner_detail", "partner_bulk"])
def test_a_funder_cannot_open_the_pages_with_partners_and_persons(world: World, persons_at_partners, name):
    args = [Partnership.objects.get(organisation__name="Jeugdhuis 't Biejke").pk] if name == "partner_detail" else []
    assert world.client("funder").get(url(name, world, *args)).status_code == 403


def test_the_funders_menu_leads_to_the_overview_only(world: World):
    content = world.client("funder").get(url("network_detail", world)).content.decode()
    assert url("partner_overview", world) in content
    assert f'href="{url("partner_list", world)}"' not in content


def test_a_broad_partner_reads_the_persons_of_a_partner_without_their_contact_details(
    world: World, persons_at_partners
):
    partnership = Partnership.objects.get(organisation__name="Jeugdhuis 't Biejke")
    response = english(world.client("broad_partner")).get(url("partner_detail", world, partnership.pk))
    assert [(entry.person.full_name, entry.function) for entry in response.context["persons"]] == [
        ("Broad_Partner Person", "staff"),
        ("Coalition Person", "staff"),
        ("Colleague Without Login", "youth worker"),
    ]
    content = page_text(response)
    assert "Coalition Person — staff representative" in content
    assert "Colleague Without Login — youth worker" in content
    raw = response.content.decode()
    assert [detail for detail in _contact_details(persons_at_partners) if detail in raw] == []


def test_a_detail_page_has_no_two_elements_with_one_id(world: World, persons_at_partners):
    partnership = Partnership.objects.get(organisation__name="Jeugdhuis 't Biejke")
    content = world.client("coordinator").get(url("partner_detail", world, partnership.pk)).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', content)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def test_a_partner_of_another_network_is_not_found(world: World):
    genk = make_partnership(world.other_network, "Stad Genk")
    assert world.client("coordinator").get(url("partner_detail", world, genk.pk)).status_code == 404
    entry = make_contribution(genk)
    response = world.client("coordinator").post(url("contribution_correct", world, entry.pk), {"reason": "Mine"})
    assert response.status_code == 404
    assert Contribution.objects.count() == 1


# --- registering ---------------------------------------------------------------------------------


def register_data(**changes) -> dict:
    data = {
        "name": "Bibliotheek Borgloon",
        "type": "library",
        "municipality": "Borgloon",
        "website": "bib.borgloon.be",
        "status": "active",
        "since": YESTERDAY.isoformat(),
        "reasons": ["learning", "local"],
        "reasons_note": "They want to learn from the youth workers.",
        "offers": ["resources", "capacity"],
        "offers_note": "A reading room on Wednesdays.",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_coordinator_registers_a_partner_and_lands_on_its_page(world: World):
    client = english(world.client("coordinator"))
    response = client.post(url("partner_register", world), register_data())
    partnership = Partnership.objects.get(network=world.network)
    assert response.status_code == 302
    assert response.url == url("partner_detail", world, partnership.pk)
    assert (partnership.tier, partnership.status, partnership.status_since) == (Tier.BROAD, Status.ACTIVE, YESTERDAY)
    assert partnership.reasons == ["learning", "local"] and partnership.offers == ["resources", "capacity"]
    organisation = partnership.organisation
    assert (organisation.type, organisation.municipality, organisation.website) == (
        "library",
        "Borgloon",
        "https://bib.borgloon.be",
    )
    event = partnership.events.get()
    assert (event.by, event.on) == (world.persons["coordinator"], YESTERDAY)

    page = client.get(response.url)
    content = page_text(page)
    assert "Bibliotheek Borgloon is registered as a partner." in content
    assert "learning from other partners" in content and "local partnership" in content
    assert "A reading room on Wednesdays." in content


def test_the_register_form_has_no_tier_and_a_posted_tier_is_ignored(world: World):
    assert "tier" not in RegisterPartnerForm().fields
    response = world.client("coordinator").post(url("partner_register", world), register_data(tier="core"))
    assert response.status_code == 302
    assert Partnership.objects.get().tier == Tier.BROAD
    assert not PartnershipEvent.objects.filter(tier=Tier.CORE).exists()


def test_a_coalition_member_may_register_only_a_prospective_partner(world: World):
    client = english(world.client("coalition"))
    form = client.get(url("partner_register", world)).context["form"]
    assert [value for value, _label in form.fields["status"].choices] == ["prospective"]
    assert form["status"].value() == "prospective"

    response = client.post(url("partner_register", world), register_data(status="prospective"))
    assert response.status_code == 302
    assert Partnership.objects.get().status == Status.PROSPECTIVE


def test_a_coalition_members_forged_active_registration_is_refused(world: World, unchanged):
    response = english(world.client("coalition")).post(url("partner_register", world), register_data(status="active"))
    assert response.status_code == 200
    assert "Select a valid choice. active is not one of the available choices." in page_text(response)
    assert not Partnership.objects.filter(status=Status.ACTIVE).exists()


def test_registering_an_existing_partner_again_is_refused(world: World):
    client = english(world.client("coordinator"))
    client.post(url("partner_register", world), register_data())
    before = ledger_snapshot()
    response = client.post(url("partner_register", world), register_data(name="bibliotheek   BORGLOON"))
    assert response.status_code == 200
    assert "Bibliotheek Borgloon is already a partner of this network." in page_text(response)
    assert ledger_snapshot() == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Give either an organisation's name or an individual partner"),
        ({"name": "   "}, "Give either an organisation's name or an individual partner"),
        ({"website": "not a website"}, "Enter a valid URL."),
        ({"since": TOMORROW.isoformat()}, "The date cannot be in the future."),
        ({"since": "31-02-2025"}, "Enter a valid date."),
        ({"reasons": ["learning", "fun"]}, "Select a valid choice. fun is not one of the available choices."),
        ({"status": "left"}, "Select a valid choice."),
        ({"type": "circus"}, "Select a valid choice."),
    ],
)
def test_bad_registrations_say_what_is_wrong_and_change_nothing(world: World, unchanged, changes, message):
    response = english(world.client("coordinator")).post(url("partner_register", world), register_data(**changes))
    assert response.status_code == 200
    assert message in page_text(response)


def test_register_form_errors_are_in_dutch_where_django_knows_them(world: World, unchanged, nl):
    response = world.client("coordinator").post(
        url("partner_register", world), register_data(website="geen website"), **nl
    )
    assert "Voer een geldige URL in." in page_text(response)


# --- many at once --------------------------------------------------------------------------------


def test_bulk_adds_25_active_broad_partners_and_skips_those_already_there(world: World):
    make_partnership(world.network, "Bibliotheek Borgloon")
    make_partnership(world.network, "Sportclub Loon", status=Status.PROSPECTIVE)
    make_partnership(world.other_network, "Vormingplus Limburg")  # a partner elsewhere is no reason to skip
    new = [f"Vereniging {n:02d}" for n in range(1, 24)] + ["Vormingplus Limburg", "Repair Café Loon"]
    lines = ["", *new[:10], "  bibliotheek   borgloon ", *new[10:], "SPORTCLUB LOON", "Vereniging 01", ""]
    client = english(world.client("coordinator"))

    response = client.post(
        url("partner_bulk", world), {"names": "\n".join(lines), "type": "social", "since": YESTERDAY}
    )

    assert response.status_code == 302 and response.url == url("partner_list", world)
    added = Partnership.objects.filter(network=world.network, organisation__name__in=new)
    assert added.count() == 25
    assert set(added.values_list("tier", "status", "status_since")) == {(Tier.BROAD, Status.ACTIVE, YESTERDAY)}
    assert Partnership.objects.filter(network=world.network).count() == 27
    assert Partnership.objects.get(network=world.network, organisation__name="Sportclub Loon").status == "prospective"
    assert messages_of(response) == [
        "25 partners added.",
        "Already partners, skipped: bibliotheek borgloon, SPORTCLUB LOON",
    ]
    assert PartnershipEvent.objects.filter(partnership__in=added, by=world.persons["coordinator"]).count() == 25


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"names": ""}, "This field is required."),
        ({"names": " \n \n"}, "This field is required."),
        ({"names": "Club A\nClub B", "since": TOMORROW.isoformat()}, "The date cannot be in the future."),
        ({"names": "Club A\n" + "x" * 201}, "A name is longer than 200 characters"),
        ({"names": "Club A", "type": "circus"}, "Select a valid choice."),
    ],
)
def test_bad_bulk_input_says_what_is_wrong_and_adds_nothing(world: World, unchanged, data, message):
    data = {"type": "other", "since": TODAY.isoformat(), **data}
    response = english(world.client("coordinator")).post(url("partner_bulk", world), data)
    assert response.status_code == 200
    assert message in page_text(response)


def test_bulk_with_one_name_twice_in_other_letters_adds_it_once(world: World):
    response = english(world.client("coordinator")).post(
        url("partner_bulk", world), {"names": "Club A\nclub a\nClub B", "type": "other", "since": TODAY.isoformat()}
    )
    assert response.status_code == 302
    assert sorted(Partnership.objects.values_list("organisation__name", flat=True)) == ["Club A", "Club B"]
    assert messages_of(response) == ["2 partners added.", "Already partners, skipped: club a"]


# --- the detail page's forms ---------------------------------------------------------------------


@pytest.fixture
def partner(world: World) -> Partnership:
    return make_partnership(world.network, "Jeugdhuis 't Biejke", since=TODAY - datetime.timedelta(days=30))


def test_the_coordinator_changes_a_status_with_a_reason(world: World, partner):
    client = english(world.client("coordinator"))
    response = client.post(
        url("partner_status", world, partner.pk), {"to_status": "paused", "on": YESTERDAY, "reason": "Summer break"}
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.status, partner.status_since) == (Status.PAUSED, YESTERDAY)
    page = page_text(client.get(response.url))
    assert "Summer break" in page
    form = client.get(response.url).context["status_form"]
    assert [value for value, _label in form.fields["to_status"].choices] == ["active", "left"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"to_status": "prospective"}, "A partner cannot go from active to prospective."),
        ({"to_status": "active"}, "A partner cannot go from active to active."),
        ({"to_status": "core"}, "Select a valid choice."),
        ({"to_status": "paused", "on": TOMORROW.isoformat()}, "The date cannot be in the future."),
        ({"to_status": "paused", "on": "2000-01-01"}, "The date cannot be before the current status began."),
        ({"to_status": "paused", "on": ""}, "This field is required."),
    ],
)
def test_a_bad_status_change_says_what_is_wrong_and_changes_nothing(world: World, partner, unchanged, data, message):
    data = {"on": TODAY.isoformat(), **data}
    response = english(world.client("coordinator")).post(url("partner_status", world, partner.pk), data)
    assert response.status_code == 200
    assert message in page_text(response)


def test_the_coordinator_records_a_contribution_and_sees_it_listed(world: World, partner):
    client = english(world.client("coordinator"))
    data = {"kind": "hours", "quantity": "3.5", "value_eur": "157.50", "on": YESTERDAY, "note": "Workshop"}
    response = client.post(url("contribution_add", world, partner.pk), data)
    assert response.status_code == 302
    entry = partner.contributions.get()
    assert (entry.kind, entry.quantity, entry.value_eur, entry.on, entry.note) == (
        "hours",
        Decimal("3.5"),
        Decimal("157.5"),
        YESTERDAY,
        "Workshop",
    )
    assert entry.recorded_by == world.persons["coordinator"]
    page = page_text(client.get(response.url))
    assert "The contribution is in the ledger." in page
    assert "hours: 3.50 hours (€ 157.50)" in page and "Workshop" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"quantity": "0"}, "Ensure this value is greater than or equal to 0.01."),
        ({"quantity": "-4"}, "Ensure this value is greater than or equal to 0.01."),
        ({"quantity": "many"}, "Enter a number."),
        ({"kind": "coffee"}, "Select a valid choice. coffee is not one of the available choices."),
        ({"on": TOMORROW.isoformat()}, "The date cannot be in the future."),
        ({"value_eur": "-10"}, "Ensure this value is greater than or equal to 0."),
    ],
)
def test_a_bad_contribution_says_what_is_wrong_and_changes_nothing(world: World, partner, unchanged, changes, message):
    data = {"kind": "hours", "quantity": "4", "value_eur": "180", "on": TODAY.isoformat(), **changes}
    response = english(world.client("coordinator")).post(url("contribution_add", world, partner.pk), data)
    assert response.status_code == 200
    assert message in page_text(response)


def test_a_correction_from_the_ledger_page(world: World, partner):
    entry = make_contribution(partner, quantity="8", value_eur="360")
    client = english(world.client("coordinator"))
    before = page_text(client.get(url("ledger", world)))
    assert "Add a counter-entry" in before
    response = client.post(url("contribution_correct", world, entry.pk), {"reason": "Entered for the wrong partner"})
    assert response.status_code == 302 and response.url == url("ledger", world)
    assert messages_of(response) == ["The entry is corrected by a counter-entry."]
    correction = Contribution.objects.get(corrects=entry)
    assert (correction.quantity, correction.value_eur) == (Decimal("-8"), Decimal("-360"))
    after = page_text(client.get(url("ledger", world)))
    assert "Add a counter-entry" not in after  # neither the original nor its correction can be corrected again
    assert "Entered for the wrong partner" in after


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_correction_without_a_reason_says_so_and_changes_nothing(world: World, partner, reason):
    entry = make_contribution(partner)
    before = ledger_snapshot()
    response = english(world.client("coordinator")).post(
        url("contribution_correct", world, entry.pk), {"reason": reason}
    )
    assert response.status_code == 302
    assert messages_of(response) == ["This field is required."]
    assert ledger_snapshot() == before


def test_a_second_correction_says_so_and_changes_nothing(world: World, partner):
    entry = make_contribution(partner)
    services.correct_contribution(entry=entry, reason="Wrong", by=None)
    before = ledger_snapshot()
    for target, message in (
        (entry, "This entry has been corrected already."),
        (Contribution.objects.get(corrects=entry), "A correction cannot be corrected"),
    ):
        client = english(world.client("coordinator"))
        response = client.post(url("contribution_correct", world, target.pk), {"reason": "Again"})
        assert response.status_code == 302
        assert message in page_text(client.get(response.url))
    assert ledger_snapshot() == before


def test_the_coordinator_edits_why_and_who_speaks_for_a_partner(world: World, partner):
    data = {
        "reasons": ["impact"],
        "reasons_note": "Bigger reach",
        "offers": ["target_group"],
        "representative": world.persons["coalition"].pk,
        "deputy": world.persons["broad_partner"].pk,
    }
    response = english(world.client("coordinator")).post(url("partner_edit", world, partner.pk), data)
    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.reasons, partner.reasons_note, partner.offers) == (["impact"], "Bigger reach", ["target_group"])
    assert (partner.representative, partner.deputy) == (world.persons["coalition"], world.persons["broad_partner"])


def test_the_edit_form_cannot_set_tier_or_status(world: World, partner):
    data = {"tier": "core", "status": "left", "status_since": "2000-01-01", "reasons": ["local"]}
    response = world.client("coordinator").post(url("partner_edit", world, partner.pk), data)
    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.tier, partner.status, partner.reasons) == (Tier.BROAD, Status.ACTIVE, ["local"])
    assert partner.events.count() == 1
    assert not PartnershipEvent.objects.filter(tier=Tier.CORE).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"deputy": "same"}, "The deputy is someone other than the representative."),
        ({"representative": "outsider"}, "Select a valid choice. That choice is not one of the available choices."),
        ({"reasons": ["fun"]}, "Select a valid choice. fun is not one of the available choices."),
    ],
)
def test_bad_edits_say_what_is_wrong_and_change_nothing(world: World, partner, unchanged, changes, message):
    person = world.persons["coalition"].pk
    data = {"reasons": ["local"], "representative": person, "deputy": world.persons["broad_partner"].pk}
    stand_ins = {"same": person, "outsider": world.persons["outsider"].pk}
    data.update(
        {field: stand_ins.get(value, value) if isinstance(value, str) else value for field, value in changes.items()}
    )
    response = english(world.client("coordinator")).post(url("partner_edit", world, partner.pk), data)
    assert response.status_code == 200
    assert message in page_text(response)


# --- "already a partner": one answer for the bulk add and the import ----------------------------


@pytest.mark.parametrize("way", ["bulk", "import"])
def test_bulk_and_import_agree_on_who_is_already_a_partner(world: World, way: str):
    """Already a partner means: this organisation, found by its name, is a partner of this network.

    Not an individual partner who happens to have that name; not a partner of another network.
    """
    make_partnership(world.network, "Stad Borgloon")
    services.register_partner(network=world.network, person=world.persons["facilitator"], status=Status.ACTIVE, by=None)
    make_partnership(world.other_network, "Genk Only vzw")
    names = ["stad  BORGLOON", "Facilitator Person", "Genk Only vzw", "Nieuw vzw"]
    client = english(world.client("coordinator"))

    if way == "bulk":
        data = {"names": "\n".join(names), "type": "other", "since": TODAY.isoformat()}
        response = client.post(url("partner_bulk", world), data)
    else:
        upload = SimpleUploadedFile("partners.csv", ("name\n" + "\n".join(names)).encode(), content_type="text/csv")
        response = client.post(url("partners_import", world), {"file": upload})

    assert response.status_code == 302, page_text(response)
    added = Partnership.objects.filter(network=world.network, organisation__isnull=False)
    assert sorted(added.values_list("organisation__name", flat=True)) == [
        "Facilitator Person",
        "Genk Only vzw",
        "Nieuw vzw",
        "Stad Borgloon",
    ]
    assert Organisation.objects.filter(name__iexact="Stad Borgloon").count() == 1
    assert messages_of(response)[-1].lower() == "already partners, skipped: stad borgloon"
    assert Partnership.objects.filter(network=world.other_network).count() == 1
