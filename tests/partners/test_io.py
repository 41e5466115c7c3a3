"""Export of partners and the ledger (CSV, XLSX) and the all-or-nothing CSV import of partners."""

from __future__ import annotations

import csv
import datetime
import html
import io
import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from ecosystem import exports
from ecosystem.models import Person, Role
from partners import imports as partner_imports
from partners import services
from partners.forms import UNNAMED_COLUMN, PartnerLineForm
from partners.models import (
    Contribution,
    EventKind,
    Organisation,
    OrganisationType,
    Partnership,
    PartnershipEvent,
    Status,
    Tier,
)
from tests.conftest import World
from tests.decisions.factories import admit_by_consent
from tests.factories import make_contribution, make_partnership, make_person
from tests.helpers import english
from tests.queries import assert_constant_queries

TODAY = timezone.localdate()
TOMORROW = TODAY + datetime.timedelta(days=1)

PARTNER_HEADER = [
    "name",
    "kind",
    "organisation type",
    "municipality",
    "website",
    "tier",
    "status",
    "since",
    "reasons",
    "reasons note",
    "offers",
    "offers note",
]
LEDGER_HEADER = [
    "id",
    "date",
    "partner",
    "kind",
    "quantity",
    "unit",
    "value (EUR)",
    "note",
    "for experiment",
    "corrects",
    "recorded at",
]


def _url(name: str, world: World, **kwargs) -> str:
    return reverse(name, kwargs={"network_slug": world.network.slug, **kwargs})


def _csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf"), "no byte order mark: Excel would misread the accents"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def _xlsx_rows(response) -> list[list]:
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def _organisation(name: str, **details) -> Organisation:
    organisation, _created = services.find_or_create_organisation(name=name, **details)
    return organisation


def _partner(world: World, name: str, *, status: str = Status.ACTIVE, **kwargs) -> Partnership:
    details = {k: kwargs.pop(k) for k in ("type", "municipality", "website") if k in kwargs}
    return services.register_partner(
        network=world.network, organisation=_organisation(name, **details), status=status, by=None, **kwargs
    )


# --- Partner export -------------------------------------------------------------------------------


@pytest.fixture
def klooz(world: World) -> World:
    stad = _partner(
        world,
        "Stad Borgloon",
        type=OrganisationType.LOCAL_GOVERNMENT,
        municipality="Borgloon",
        website="https://www.borgloon.be",
        since=datetime.date(2025, 1, 6),
        reasons=["local", "impact"],
        reasons_note="Samen voor de jeugd, één plan",
        offers=["resources", "capacity"],
        offers_note="Zaal in het stadhuis",
    )
    admit_by_consent(world, stad)
    _partner(
        world,
        "Bibliotheek Borgloon",
        type=OrganisationType.LIBRARY,
        municipality="Borgloon",
        status=Status.PROSPECTIVE,
        since=datetime.date(2025, 3, 1),
        reasons=["learning"],
    )
    _partner(world, "Jeugdhuis 't Biejke vzw", type=OrganisationType.YOUTH_WORK, municipality="Kerniel")
    services.register_partner(network=world.network, person=world.persons["facilitator"], status=Status.ACTIVE, by=None)
    make_partnership(world.other_network, "Genk Only vzw")
    return world


def test_the_partner_csv_holds_every_partner_of_the_network_by_name(klooz: World):
    response = english(klooz.client("coordinator")).get(_url("partners_export", klooz, fmt="csv"))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="klooz-partners-{TODAY.isoformat()}.csv"'
    rows = _csv_rows(response)
    assert rows[0] == PARTNER_HEADER
    assert [row[0] for row in rows[1:]] == [
        "Bibliotheek Borgloon",
        "Facilitator Person",
        "Jeugdhuis 't Biejke vzw",
        "Stad Borgloon",
    ]
    assert rows[4] == [
        "Stad Borgloon",
        "organisation",
        "local government",
        "Borgloon",
        "https://www.borgloon.be",
        "core partner",
        "active",
        "2025-01-06",
        "local partnership; greater impact than alone",
        "Samen voor de jeugd, één plan",
        "resources; capacity",
        "Zaal in het stadhuis",
    ]
    assert rows[1][5:8] == ["broad partner", "prospective", "2025-03-01"]
    assert rows[2][:5] == ["Facilitator Person", "person", "", "", ""]


def test_the_partner_xlsx_has_a_bold_header_and_dates_as_dates(klooz: World):
    response = english(klooz.client("broad_partner")).get(_url("partners_export", klooz, fmt="xlsx"))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="klooz-partners-{TODAY.isoformat()}.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert all(cell.font.bold for cell in sheet[1])
    rows = _xlsx_rows(response)
    assert rows[0] == PARTNER_HEADER
    assert [row[0] for row in rows[1:]] == [
        "Bibliotheek Borgloon",
        "Facilitator Person",
        "Jeugdhuis 't Biejke vzw",
        "Stad Borgloon",
    ]
    stad = rows[4]
    assert stad[:7] == [
        "Stad Borgloon",
        "organisation",
        "local government",
        "Borgloon",
        "https://www.borgloon.be",
        "core partner",
        "active",
    ]
    assert stad[7] == datetime.datetime(2025, 1, 6)  # a date cell, which openpyxl reads back as a datetime
    assert stad[9] == "Samen voor de jeugd, één plan"


def test_the_partner_export_is_in_the_users_language_by_default_dutch(klooz: World):
    response = klooz.client("coordinator").get(_url("partners_export", klooz, fmt="csv"))

    assert response.status_code == 200
    assert response["Content-Language"] == "nl"
    assert _csv_rows(response)[0][0] == "naam"


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({"tier": "core"}, ["Stad Borgloon"]),
        ({"status": "prospective"}, ["Bibliotheek Borgloon"]),
        ({"type": "youth_work"}, ["Jeugdhuis 't Biejke vzw"]),
        ({"reason": "learning"}, ["Bibliotheek Borgloon"]),
        ({"q": "borgloon"}, ["Bibliotheek Borgloon", "Stad Borgloon"]),
        ({"q": "facilitator"}, ["Facilitator Person"]),
        ({"q": "borgloon", "status": "active"}, ["Stad Borgloon"]),
        (
            {"tier": "broad", "page": "2", "sort": "name"},
            ["Bibliotheek Borgloon", "Facilitator Person", "Jeugdhuis 't Biejke vzw"],
        ),
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_partner_export_honours_the_lists_filters(klooz: World, query: dict, names: list[str], fmt: str):
    client = klooz.client("coalition")
    response = client.get(_url("partners_export", klooz, fmt=fmt), query)

    rows = _csv_rows(response) if fmt == "csv" else _xlsx_rows(response)
    assert [row[0] for row in rows[1:]] == names
    # The same filters on the list page show the same partners.
    page = client.get(_url("partner_list", klooz), {k: v for k, v in query.items() if k not in {"page", "sort"}})
    shown = [row.record.name for row in page.context["table"].rows]
    assert sorted(shown) == names


def test_the_list_page_links_its_downloads_with_its_filters_and_offers_import_to_a_coordinator(klooz: World):
    page = klooz.client("coordinator").get(_url("partner_list", klooz), {"status": "active"})
    content = page.content.decode()

    assert f'href="{_url("partners_export", klooz, fmt="csv")}?status=active"' in content
    assert f'href="{_url("partners_export", klooz, fmt="xlsx")}?status=active"' in content
    assert f'href="{_url("partners_import", klooz)}"' in content

    reader_page = klooz.client("broad_partner").get(_url("partner_list", klooz)).content.decode()
    assert f'href="{_url("partners_export", klooz, fmt="csv")}"' in reader_page
    assert _url("partners_import", klooz) not in reader_page


@pytest.mark.parametrize("name", ["partners_export", "ledger_export"])
@pytest.mark.parametrize("fmt", ["pdf", "CSV", "xls", "csv.exe"])
def test_an_unknown_format_is_not_found(world: World, name: str, fmt: str):
    assert world.client("coordinator").get(_url(name, world, fmt=fmt)).status_code == 404


# --- No contact details ---------------------------------------------------------------------------


def test_no_exported_file_holds_anyones_e_mail_or_phone(world: World):
    """Persons affiliated to partners, and a person who is a partner: named at most, never reachable."""
    organisation = _organisation("Link in de Kabel vzw", type=OrganisationType.YOUTH_WORK)
    partnership = services.register_partner(
        network=world.network, organisation=organisation, status=Status.ACTIVE, by=None
    )
    for n in range(3):
        person = make_person(world.network, Role.BROAD_PARTNER, name=f"Medewerker {n}", email=f"mw{n}@kabel.test")
        services.affiliate(person=person, organisation=organisation, function="jeugdwerker", by=None)
    services.update_partnership(partnership=partnership, by=None, representative=person)
    individual = services.register_partner(
        network=world.network, person=world.persons["coalition"], status=Status.ACTIVE, by=None
    )
    make_contribution(partnership, note="Begeleiding")
    make_contribution(individual, kind="expertise", note="Workshop")
    secrets = [
        value for email, phone in Person.objects.values_list("email", "phone") for value in (email, phone) if value
    ]
    assert any("kabel.test" in s for s in secrets) and any(s.startswith("+32") for s in secrets)

    client = world.client("coordinator")
    for name in ("partners_export", "ledger_export"):
        text = _csv_rows(client.get(_url(name, world, fmt="csv")))
        cells = [cell for row in text for cell in row]
        cells += [str(v) for row in _xlsx_rows(client.get(_url(name, world, fmt="xlsx"))) for v in row if v]
        joined = "\n".join(cells)
        assert "Coalition Person" in joined
        for secret in secrets:
            assert secret not in joined, f"{name} exports {secret}"
        assert "@" not in joined


# --- Formula injection ----------------------------------------------------------------------------


def test_a_cell_that_would_start_a_formula_stays_text(world: World):
    partnership = _partner(
        world,
        '=HYPERLINK("http://evil.test","klik")',
        municipality="+32 Borgloon",
        reasons_note="-2+3",
        offers_note="@SUM(A1:A9)",
    )
    entry = make_contribution(partnership, note="=1+1", for_experiment="+Fuifcoach")
    services.correct_contribution(entry=entry, by=None, reason="dubbel")
    client = english(world.client("coordinator"))

    partners_csv = _csv_rows(client.get(_url("partners_export", world, fmt="csv")))[1]
    assert partners_csv[0] == '\'=HYPERLINK("http://evil.test","klik")'
    assert partners_csv[3] == "'+32 Borgloon"
    assert partners_csv[9] == "'-2+3"
    assert partners_csv[11] == "'@SUM(A1:A9)"

    response = client.get(_url("partners_export", world, fmt="xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == '\'=HYPERLINK("http://evil.test","klik")'
    assert sheet["D2"].value == "'+32 Borgloon"

    ledger_csv = _csv_rows(client.get(_url("ledger_export", world, fmt="csv")))
    original = next(row for row in ledger_csv[1:] if row[9] == "")
    correction = next(row for row in ledger_csv[1:] if row[9] != "")
    assert original[7] == "'=1+1"
    assert original[8] == "'+Fuifcoach"
    # A negative amount is a number, not text to guard.
    assert correction[4] == "-4.00" and correction[6] == "-180.00"
    ledger_xlsx = _xlsx_rows(client.get(_url("ledger_export", world, fmt="xlsx")))
    assert {row[7] for row in ledger_xlsx[1:]} >= {"'=1+1"}
    assert Decimal(str(min(row[4] for row in ledger_xlsx[1:]))) == Decimal("-4")


def test_guard_formula_leaves_ordinary_text_alone():
    assert exports.guard_formula("Stad Borgloon") == "Stad Borgloon"
    assert exports.guard_formula("") == ""
    assert exports.guard_formula("a=b") == "a=b"
    for start in "=+-@\t\r":
        assert exports.guard_formula(f"{start}x") == f"'{start}x"


# --- Ledger export --------------------------------------------------------------------------------


@pytest.fixture
def ledger_world(world: World) -> World:
    stad = _partner(world, "Stad Borgloon", since=datetime.date(2025, 1, 1))
    biejke = _partner(world, "Jeugdhuis 't Biejke vzw", since=datetime.date(2025, 1, 1))
    make_contribution(
        stad, kind="money", quantity="2500", value_eur=None, on=datetime.date(2025, 2, 3), note="Werkingsmiddelen"
    )
    wrong = make_contribution(
        biejke, kind="hours", quantity="6", value_eur="270", on=datetime.date(2025, 4, 10), for_experiment="Fuifcoach"
    )
    services.correct_contribution(entry=wrong, by=None, reason="Dubbel ingevoerd")
    make_contribution(biejke, kind="rooms", quantity="2", value_eur="150", on=datetime.date(2025, 6, 30))
    make_contribution(make_partnership(world.other_network, "Genk vzw"), on=datetime.date(2025, 4, 1))
    return world


def test_the_ledger_csv_lists_every_entry_with_what_a_correction_corrects(ledger_world: World):
    world = ledger_world
    response = english(world.client("facilitator")).get(_url("ledger_export", world, fmt="csv"))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="klooz-ledger-{TODAY.isoformat()}.csv"'
    rows = _csv_rows(response)
    assert rows[0] == LEDGER_HEADER
    wrong = Contribution.objects.get(for_experiment="Fuifcoach", corrects__isnull=True)
    ids = list(Contribution.objects.filter(partnership__network=world.network).values_list("pk", flat=True))
    assert [int(row[0]) for row in rows[1:]] == ids  # newest first, as on the ledger page
    assert str(wrong.pk) in [row[0] for row in rows[1:]]
    assert [row[1:10] for row in rows[1:]] == [
        ["2025-06-30", "Jeugdhuis 't Biejke vzw", "rooms", "2.00", "half-days", "150.00", "", "", ""],
        [
            "2025-04-10",
            "Jeugdhuis 't Biejke vzw",
            "hours",
            "-6.00",
            "hours",
            "-270.00",
            "Correctie van de boeking van 2025-04-10: Dubbel ingevoerd",  # stored in the site's language
            "Fuifcoach",
            str(wrong.pk),
        ],
        ["2025-04-10", "Jeugdhuis 't Biejke vzw", "hours", "6.00", "hours", "270.00", "", "Fuifcoach", ""],
        ["2025-02-03", "Stad Borgloon", "money", "2500.00", "EUR", "2500.00", "Werkingsmiddelen", "", ""],
    ]
    recorded = datetime.datetime.strptime(rows[1][10], "%Y-%m-%d %H:%M:%S")
    assert abs(recorded - timezone.localtime().replace(tzinfo=None)) < datetime.timedelta(minutes=5)


def test_the_ledger_xlsx_has_numbers_as_numbers(ledger_world: World):
    world = ledger_world
    response = english(world.client("coordinator")).get(_url("ledger_export", world, fmt="xlsx"))

    assert response["Content-Disposition"] == f'attachment; filename="klooz-ledger-{TODAY.isoformat()}.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert all(cell.font.bold for cell in sheet[1])
    rows = _xlsx_rows(response)
    assert rows[0] == LEDGER_HEADER
    assert len(rows) == 5
    money = rows[4]
    assert isinstance(money[0], int)
    assert money[1] == datetime.datetime(2025, 2, 3)
    assert money[2:7] == ["Stad Borgloon", "money", 2500, "EUR", 2500]
    assert money[9] is None
    assert isinstance(money[10], datetime.datetime)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_ledger_export_honours_the_period(ledger_world: World, fmt: str):
    client = ledger_world.client("coordinator")
    response = client.get(_url("ledger_export", ledger_world, fmt=fmt), {"start": "2025-04-01", "end": "2025-04-30"})

    rows = _csv_rows(response) if fmt == "csv" else _xlsx_rows(response)
    dates = [row[1] for row in rows[1:]]
    assert len(dates) == 2
    assert {str(d)[:10] for d in dates} == {"2025-04-10"}

    only_start = client.get(_url("ledger_export", ledger_world, fmt=fmt), {"start": "2025-06-01"})
    rows = _csv_rows(only_start) if fmt == "csv" else _xlsx_rows(only_start)
    assert len(rows) == 2


def test_a_ledger_export_of_an_impossible_period_is_refused_not_everything(ledger_world: World):
    client = ledger_world.client("coordinator")
    url = _url("ledger_export", ledger_world, fmt="csv")

    assert client.get(url, {"start": "2025-06-01", "end": "2025-01-01"}).status_code == 400
    assert client.get(url, {"start": "not-a-date"}).status_code == 400
    # The ledger page hides its download links while the period cannot be read.
    page = client.get(_url("ledger", ledger_world), {"start": "2025-06-01", "end": "2025-01-01"}).content.decode()
    assert url not in page
    page = client.get(_url("ledger", ledger_world), {"start": "2025-06-01"}).content.decode()
    assert f'href="{url}?start=2025-06-01"' in page


# --- Query budgets --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_partner_export_does_not_query_per_partner(world: World, fmt: str):
    client = world.client("coordinator")
    url = _url("partners_export", world, fmt=fmt)

    def grow(k: int) -> None:
        for _ in range(k):
            partnership = make_partnership(world.network, reasons=["learning"], offers=["capacity"])
            person = make_person(world.network, Role.BROAD_PARTNER, login=False)
            services.affiliate(person=person, organisation=partnership.organisation, by=None)

    assert_constant_queries(lambda: client.get(url, {"status": "active"}), grow, budget=5)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_ledger_export_does_not_query_per_entry(world: World, fmt: str):
    client = world.client("coordinator")
    url = _url("ledger_export", world, fmt=fmt)

    def grow(k: int) -> None:
        for _ in range(k):
            entry = make_contribution(make_partnership(world.network))
            services.correct_contribution(entry=entry, by=None, reason="test")

    assert_constant_queries(lambda: client.get(url), grow, budget=5)


# --- Import ---------------------------------------------------------------------------------------

HEADER = "name,type,municipality,website,status,since,reasons,reasons_note,offers,offers_note"


def _upload(text: str | bytes, name: str = "partners.csv") -> SimpleUploadedFile:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def _post(client, world: World, text: str | bytes):
    return client.post(_url("partners_import", world), {"file": _upload(text)})


def _counts() -> tuple[int, int, int]:
    return Organisation.objects.count(), Partnership.objects.count(), PartnershipEvent.objects.count()


def _row_errors(response) -> list[tuple[int, str]]:
    """The table of bad lines on the page: (line number, problem)."""
    rows = re.findall(r"<tr><td>(\d+)</td><td>(.*?)</td></tr>", response.content.decode(), re.S)
    return [(int(line), html.unescape(message)) for line, message in rows]


def _form_errors(response) -> list[str]:
    return [str(e) for e in response.context["form"].errors.get("file", [])]


def test_the_import_page_explains_the_columns_and_gives_an_example(world: World):
    response = world.client("coordinator").get(_url("partners_import", world))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'enctype="multipart/form-data"' in content
    for code in ("youth_work", "local_government", "target_groups", "learning", "capacity", "prospective"):
        assert f"<code>{code}</code>" in content
    assert 'download="partners-example.csv"' in content
    assert "Jeugdhuis De Schakel vzw" in content


def test_the_example_on_the_page_imports_as_it_is(world: World):
    response = _post(world.client("coordinator"), world, partner_imports.EXAMPLE_CSV)

    assert response.status_code == 302
    assert set(Partnership.objects.filter(network=world.network).values_list("organisation__name", flat=True)) == {
        "Jeugdhuis De Schakel vzw",
        "Bibliotheek Borgloon",
    }


def test_an_import_registers_every_line_as_a_broad_partner_through_the_services(world: World):
    make_partnership(world.other_network, "PIBO Campus vzw")  # known organisation, partner elsewhere
    pibo = Organisation.objects.get(name="PIBO Campus vzw")
    text = (
        "\ufeff"
        + "\r\n".join(
            [
                HEADER + ",tier",
                "Link in de Kabel vzw,youth_work,Sint-Truiden,www.linkindekabel.be,active,2025-02-01,"
                'learning|target_groups,"Leren, en bereiken",expertise|capacity,Twee coaches,broad',
                "IN-Z vzw,care_welfare,Borgloon,,prospective,,mission,,,,",
                "pibo campus VZW,school,Tongeren,,,2024-09-01,,,target_group,,",
                "  Ééntje   Café  ,,,,,,,,,,",
            ]
        )
        + "\r\n"
    )

    response = _post(english(world.client("coordinator")), world, text)

    assert response.status_code == 302
    assert response.url == _url("partner_list", world)
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["4 partners imported, 0 already partners."]
    kabel = Partnership.objects.get(network=world.network, organisation__name="Link in de Kabel vzw")
    assert (kabel.tier, kabel.status, kabel.status_since) == (Tier.BROAD, Status.ACTIVE, datetime.date(2025, 2, 1))
    assert kabel.reasons == ["learning", "target_groups"] and kabel.reasons_note == "Leren, en bereiken"
    assert kabel.offers == ["expertise", "capacity"] and kabel.offers_note == "Twee coaches"
    assert kabel.organisation.type == OrganisationType.YOUTH_WORK
    assert kabel.organisation.municipality == "Sint-Truiden"
    assert kabel.organisation.website == "https://www.linkindekabel.be"
    event = kabel.events.get()
    assert (event.kind, event.by, event.on) == (
        EventKind.JOINED,
        world.persons["coordinator"],
        datetime.date(2025, 2, 1),
    )
    inz = Partnership.objects.get(network=world.network, organisation__name="IN-Z vzw")
    assert (inz.status, inz.status_since, inz.reasons) == (Status.PROSPECTIVE, TODAY, ["mission"])
    # A known organisation is reused as it is, not duplicated or overwritten.
    assert Organisation.objects.filter(name__iexact="PIBO Campus vzw").count() == 1
    assert Partnership.objects.get(network=world.network, organisation=pibo).status == Status.ACTIVE
    pibo.refresh_from_db()
    assert pibo.type == OrganisationType.OTHER
    cafe = Partnership.objects.get(network=world.network, organisation__name="Ééntje Café")
    assert cafe.organisation.type == OrganisationType.OTHER and cafe.status_since == TODAY


def test_an_import_accepts_utf8_without_bom_and_semicolons_as_a_dutch_excel_saves_them(world: World):
    text = 'name;type\nCafé De Kroon;entrepreneur\nJeugdraad;"youth_work"\n'

    response = _post(world.client("coordinator"), world, text.encode("utf-8"))

    assert response.status_code == 302
    assert set(
        Partnership.objects.filter(network=world.network).values_list("organisation__name", "organisation__type")
    ) == {("Café De Kroon", "entrepreneur"), ("Jeugdraad", "youth_work")}


def test_an_import_run_twice_adds_nobody_twice(world: World):
    _partner(world, "Stad Borgloon")
    text = f"{HEADER}\nStad Borgloon\nIN-Z vzw\nPIBO Campus vzw\n"
    client = english(world.client("coordinator"))

    first = _post(client, world, text)
    assert [str(m) for m in get_messages(first.wsgi_request)] == [
        "2 partners imported, 1 already a partner.",
        "Already partners, skipped: Stad Borgloon",
    ]
    after_first = _counts()
    assert "2 partners imported, 1 already a partner." in client.get(first.url).content.decode()

    second = _post(client, world, text.replace("Stad Borgloon", "STAD borgloon"))
    assert second.status_code == 302
    assert [str(m) for m in get_messages(second.wsgi_request)] == [
        "0 partners imported, 3 already partners.",
        "Already partners, skipped: Stad Borgloon, IN-Z vzw, PIBO Campus vzw",
    ]
    assert _counts() == after_first


BAD_FILE = "\n".join(
    [
        HEADER + ",tier",
        "Goed vzw,sport,,,,,,,,,",  # 2: fine
        ",sport,,,,,,,,,",  # 3: no name
        "Onbekend type vzw,bakery,,,,,,,,,",  # 4
        "Slechte status vzw,,,,sleeping,,,,,,",  # 5
        "Vertrokken vzw,,,,left,,,,,,",  # 6
        "Onbekende reden vzw,,,,,,learning|fun,,,,",  # 7
        "Onbekend aanbod vzw,,,,,,,,money,,",  # 8
        "Slechte datum vzw,,,,,23/11/2025,,,,,",  # 9
        f"Toekomst vzw,,,,,{TOMORROW.isoformat()},,,,,",  # 10
        "Kern vzw,,,,,,,,,,core",  # 11
        "goed  VZW,,,,,,,,,,",  # 12: the name of line 2 again
        "Slechte website vzw,,,not a website,,,,,,,",  # 13
        "Twee fouten vzw,bakery,,,,2025-02-30,,,,,",  # 14: two problems
    ]
)
BAD_LINES = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 14]


def test_an_import_with_bad_lines_changes_nothing_and_names_every_bad_line_in_dutch(world: World):
    _partner(world, "Bestaand vzw")
    before = _counts()

    response = _post(world.client("coordinator"), world, BAD_FILE)

    assert response.status_code == 200
    assert _counts() == before
    assert response["Content-Language"] == "nl"
    errors = _row_errors(response)
    assert [line for line, _message in errors] == BAD_LINES
    assert all(message.strip() for _line, message in errors)
    assert 2 not in {line for line, _message in errors}


def test_the_bad_lines_say_what_is_wrong(world: World):
    """The reasons as the msgids say them; the translator gives them their Dutch wording."""
    before = _counts()

    response = _post(english(world.client("coordinator")), world, BAD_FILE)

    assert _counts() == before
    assert _row_errors(response) == [
        (3, "The name is missing."),
        (4, "Unknown organisation type “bakery”."),
        (5, "Unknown status “sleeping”; use prospective or active."),
        (6, "A new partner is either prospective or active."),
        (7, "Unknown reason: fun."),
        (8, "Unknown contribution offered: money."),
        (9, "The date “23/11/2025” is not a date written as YYYY-MM-DD."),
        (10, "The date cannot be in the future."),
        (11, "A partner becomes a core partner only by a consent decision; import it as broad and propose it."),
        (12, "This name appears already on line 2."),
        (13, "The website “not a website” is not a web address."),
        (14, "Unknown organisation type “bakery”."),
        (14, "The date “2025-02-30” is not a date written as YYYY-MM-DD."),
    ]
    assert "The file has 13 problems. Nothing was imported" in html.unescape(response.content.decode())


def test_the_core_tier_is_refused_even_on_an_otherwise_good_file(world: World):
    before = _counts()

    response = _post(english(world.client("coordinator")), world, "name,tier\nStad Borgloon,core\nIN-Z vzw,broad\n")

    assert response.status_code == 200
    assert _counts() == before
    assert _row_errors(response) == [
        (2, "A partner becomes a core partner only by a consent decision; import it as broad and propose it.")
    ]
    assert not Partnership.objects.filter(tier=Tier.CORE).exists()


def test_a_refusal_by_the_services_names_its_line_and_undoes_the_lines_before_it(world: World, monkeypatch):
    """The import's own checks passed; the service still refuses one line, and everything rolls back."""
    from django.core.exceptions import ValidationError

    register = services.register_partner

    def refusing(**kwargs):
        if kwargs["organisation"].name == "Geweigerd vzw":
            raise ValidationError("Refused by the service.")
        return register(**kwargs)

    monkeypatch.setattr(services, "register_partner", refusing)
    before = _counts()

    response = _post(world.client("coordinator"), world, "name\nEerst vzw\nGeweigerd vzw\nDaarna vzw\n")

    assert response.status_code == 200
    assert _row_errors(response) == [(3, "Refused by the service.")]
    assert _counts() == before
    assert not Organisation.objects.filter(name="Eerst vzw").exists()


def test_line_numbers_count_the_rows_of_the_spreadsheet(world: World):
    """Line 1 is the header; blank lines count, a quoted cell over two lines is one row."""
    text = 'name,reasons_note\nEen vzw,"twee\nregels"\n\n,geen naam\nVier vzw,\n'

    response = _post(english(world.client("coordinator")), world, text)

    assert _row_errors(response) == [(4, "The name is missing.")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            "Naam,Adres\nCafé,Straat 1\n".encode("latin-1"),
            "The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8 (comma delimited)”.",
        ),
        (
            "name\nCafé De Kroon\n".encode("utf-16"),
            "The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8 (comma delimited)”.",
        ),
        (b"\xef\xbb\xbf\r\n\r\n", "The file is empty: it has no header row."),
        (
            b"Stad Borgloon,local_government\n",
            "The first line must be the header row naming the columns, with at "
            "least “name”. Found: Stad Borgloon, local_government",
        ),
        (b"name\n\n", "The file has a header row but no partners."),
        (
            b"name,email,phone\nX,x@y.test,0470\n",
            "Unknown columns: email, phone. The columns are: name, type, municipality, website, status, since, "
            "reasons, reasons_note, offers, offers_note, tier.",
        ),
        (b"name,type,Type\nX,,\n", "A column appears twice in the header: type."),
        (b"PK\x03\x04\x00\x00binary", "This is not a CSV text file. In your spreadsheet, save it as “CSV UTF-8”."),
        (b'name\n"Open quote\x00\n', "This is not a CSV text file. In your spreadsheet, save it as “CSV UTF-8”."),
    ],
    ids=["latin-1", "utf-16", "bom-only", "no-header", "header-only", "contact-columns", "doubled", "zip", "nul"],
)
def test_a_file_that_cannot_be_read_gets_a_clear_message(world: World, data: bytes, message: str):
    before = _counts()

    response = _post(english(world.client("coordinator")), world, data)

    assert response.status_code == 200
    assert _form_errors(response) == [message]
    assert message in html.unescape(response.content.decode())
    assert _counts() == before


def test_an_empty_file_or_none_is_refused_in_dutch(world: World):
    client = world.client("coordinator")

    empty = _post(client, world, b"")
    assert empty.status_code == 200
    assert _form_errors(empty) == ["Het verstuurde bestand is leeg."]

    nothing = client.post(_url("partners_import", world), {})
    assert nothing.status_code == 200
    assert _form_errors(nothing) == ["Dit veld is verplicht."]


def test_a_file_too_large_or_too_long_is_refused(world: World):
    client = english(world.client("coordinator"))
    too_large = HEADER + "\n" + "".join(f"Organisatie {n:07d} met een lange naam\n" for n in range(40_000))
    assert len(too_large.encode()) > partner_imports.MAX_IMPORT_BYTES

    response = _post(client, world, too_large)
    assert _form_errors(response) == ["The file is larger than 1024 kB; split it into smaller files."]

    too_long = "name\n" + "".join(f"Org {n}\n" for n in range(partner_imports.MAX_IMPORT_ROWS + 1))
    response = _post(client, world, too_long)
    assert _form_errors(response) == ["A file holds at most 2000 partners; split it into smaller files."]
    assert Partnership.objects.count() == 0


def test_a_file_of_the_maximum_length_is_read():
    text = "name\n" + "".join(f"Org {n}\n" for n in range(partner_imports.MAX_IMPORT_ROWS))

    records = partner_imports.read_csv(text.encode())

    assert len(records) == partner_imports.MAX_IMPORT_ROWS
    assert (records[-1].line, records[-1].cells) == (partner_imports.MAX_IMPORT_ROWS + 1, {"name": "Org 1999"})


@pytest.mark.parametrize(
    ("persona", "status"),
    [("funder", 403), ("coalition", 403), ("broad_partner", 403), ("outsider", 404), ("anonymous", 302)],
)
def test_only_a_coordinator_of_the_network_may_import(world: World, persona: str, status: int):
    before = _counts()

    response = _post(world.client(persona), world, f"{HEADER}\nStad Borgloon\n")

    assert response.status_code == status
    assert _counts() == before


def test_the_import_itself_checks_the_right_to_manage_partners(world: World):
    """Called from elsewhere than the page, the import still refuses a user who may not manage."""
    from django.core.exceptions import PermissionDenied

    records = partner_imports.read_csv(b"name\nStad Borgloon\n")
    with pytest.raises(PermissionDenied):
        partner_imports.import_partners(network=world.network, records=records, by=world.user("coalition"))
    assert Partnership.objects.count() == 0


# --- One line, checked by its form ---------------------------------------------------------------


@translation.override("en")
def test_a_code_list_is_trimmed_lowercased_and_each_code_kept_once_in_order():
    field = PartnerLineForm.base_fields["reasons"]

    assert field.clean(" Learning| local |LEARNING||") == ["learning", "local"]
    assert field.clean("") == []
    with pytest.raises(ValidationError) as refused:
        field.clean("learning|fun|Circus|fun")
    assert refused.value.messages == ["Unknown reason: fun, circus."]


@translation.override("en")
def test_a_line_form_names_every_problem_of_its_line():
    form = PartnerLineForm(
        {
            "name": "x" * 201,
            "municipality": "m" * 101,
            "website": "https://" + "w" * 300,
            "status": "Left",
            "tier": "CORE",
            "since": "2025-2-3",
            UNNAMED_COLUMN: "stray",
        },
        today=TODAY,
    )

    assert not form.is_valid()
    assert form.problems() == [
        "This line has a value in a column without a name in the header row.",
        "The name is longer than 200 characters.",
        "The municipality is longer than 100 characters.",
        f"The website “https://{'w' * 92}” is not a web address.",
        "A new partner is either prospective or active.",
        "A partner becomes a core partner only by a consent decision; import it as broad and propose it.",
        "The date “2025-2-3” is not a date written as YYYY-MM-DD.",
    ]


def test_a_line_form_fills_in_what_a_line_leaves_empty():
    form = PartnerLineForm({"name": "  Café   De Kroon ", "type": "YOUTH_work", "tier": "Broad"}, today=TODAY)

    assert form.is_valid(), form.problems()
    assert form.cleaned_data == {
        "name": "Café De Kroon",
        "type": OrganisationType.YOUTH_WORK,
        "municipality": "",
        "website": "",
        "status": Status.ACTIVE,
        "tier": Tier.BROAD,
        "since": TODAY,
        "reasons": [],
        "reasons_note": "",
        "offers": [],
        "offers_note": "",
    }
