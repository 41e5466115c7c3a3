"""The all-or-nothing CSV import of partners.

The import validates every line before anything is written, then registers the partners through
the services (``find_or_create_organisation``, ``register_partner``) inside one transaction: one bad
line and nothing changes; the person uploading gets every bad line back with its number and reason.
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass, field
from io import StringIO
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecosystem.models import Network, User
from ecosystem.permissions import MANAGE_PARTNERS, require
from partners import selectors, services
from partners.forms import UNNAMED_COLUMN, PartnerLineForm
from partners.models import Organisation

MAX_IMPORT_BYTES = 1024 * 1024
MAX_IMPORT_ROWS = 2000

# The columns of an import file, in the order of the example; only "name" is required.
IMPORT_COLUMNS = (
    "name",
    "type",
    "municipality",
    "website",
    "status",
    "since",
    "reasons",
    "reasons_note",
    "offers",
    "offers_note",
    "tier",
)
EXAMPLE_CSV = (
    "name,type,municipality,website,status,since,reasons,reasons_note,offers,offers_note\r\n"
    "Jeugdhuis De Schakel vzw,youth_work,Borgloon,https://deschakel.example,active,2025-09-01,"
    'learning|local,"Wil leren van scholen, en omgekeerd",target_group|capacity,Twee jeugdwerkers\r\n'
    "Bibliotheek Borgloon,library,Borgloon,,prospective,,target_groups,,resources,\r\n"
)


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


class ImportRefused(Exception):
    """The file had bad lines; nothing was written. ``errors`` names each, in line order."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} bad lines")
        self.errors = sorted(errors, key=lambda e: e.line)


@dataclass(frozen=True)
class Record:
    """One line of the file as read: its line number (the header is line 1) and its cells by column."""

    line: int
    cells: dict[str, str]


@dataclass
class ImportResult:
    imported: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def read_csv(data: bytes) -> list[Record]:
    """The records of an uploaded CSV file, or a ValidationError saying why the file cannot be read.

    Accepts UTF-8 with or without a byte order mark, separated by commas (or by semicolons or tabs,
    as a Dutch-language spreadsheet saves them). Blank lines are skipped but counted, so line numbers
    match the rows of the spreadsheet.
    """
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)d kB; split it into smaller files.") % {"size": MAX_IMPORT_BYTES // 1024}
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8 (comma delimited)”.")
        ) from None
    if "\x00" in text:
        raise ValidationError(_("This is not a CSV text file. In your spreadsheet, save it as “CSV UTF-8”."))
    if not text.strip():
        raise ValidationError(_("The file is empty: it has no header row."))
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(StringIO(text, newline=""), delimiter=delimiter)
    records: list[Record] = []
    header: list[str] | None = None
    try:
        for line, cells in enumerate(reader, start=1):
            if header is None:
                header = _read_header(cells)
                continue
            if not any(cell.strip() for cell in cells):
                continue
            records.append(_record(line, header, cells))
            if len(records) > MAX_IMPORT_ROWS:
                raise ValidationError(
                    _("A file holds at most %(max)d partners; split it into smaller files.") % {"max": MAX_IMPORT_ROWS}
                )
    except csv.Error:
        raise ValidationError(
            _("Line %(line)d cannot be read as CSV; check the quotes on that line.") % {"line": reader.line_num}
        ) from None
    if not records:
        raise ValidationError(_("The file has a header row but no partners."))
    return records


def _read_header(cells: list[str]) -> list[str]:
    header = [cell.strip().lower().replace(" ", "_") for cell in cells]
    if "name" not in header:
        raise ValidationError(
            _("The first line must be the header row naming the columns, with at least “name”. Found: %(found)s")
            % {"found": ", ".join(cells)[:200]}
        )
    unknown = [h for h in header if h and h not in IMPORT_COLUMNS]
    if unknown:
        raise ValidationError(
            _("Unknown columns: %(unknown)s. The columns are: %(known)s.")
            % {"unknown": ", ".join(unknown), "known": ", ".join(IMPORT_COLUMNS)}
        )
    doubled = sorted({h for h in header if h and header.count(h) > 1})
    if doubled:
        raise ValidationError(_("A column appears twice in the header: %(columns)s.") % {"columns": ", ".join(doubled)})
    return header


def _record(line: int, header: list[str], cells: list[str]) -> Record:
    values: dict[str, str] = {}
    for i, cell in enumerate(cells):
        column = header[i] if i < len(header) else ""
        if column:
            values[column] = cell
        elif cell.strip():
            values[UNNAMED_COLUMN] = cell
    return Record(line, values)


def check_line(record: Record, today: datetime.date) -> PartnerLineForm:
    """One line, checked by :class:`PartnerLineForm`: its ``cleaned_data``, or its ``problems()`` (all of them)."""
    form = PartnerLineForm({column: value.strip() for column, value in record.cells.items()}, today=today)
    form.is_valid()
    return form


def import_partners(*, network: Network, records: list[Record], by: User | None) -> ImportResult:
    """Register the file's organisations as broad partners of ``network``, all of them or none.

    Before: ``by`` may manage the network's partners. After, if it returns: every line's organisation
    exists (found by name, or created) and is a partner of the network; those that were partners
    already (``selectors.already_partners``, the bulk add's answer too) are left as they were and
    listed in ``skipped``. If any line is bad, by the checks here or by the services' own, nothing is
    written and :class:`ImportRefused` lists every bad line.
    """
    if by is not None:
        require(by, MANAGE_PARTNERS, network)
    lines, errors = _checked(records, timezone.localdate())
    with transaction.atomic():
        # The lines that passed go through the services too, so their refusals are reported in the
        # same answer; the whole transaction is rolled back if anything was bad.
        result = _register(network, by, lines, errors)
        if errors:
            raise ImportRefused(errors)
    return result


def _checked(records: list[Record], today: datetime.date) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    """The good lines (number, cleaned data) and every problem of the others, a name's repetition included."""
    lines: list[tuple[int, dict[str, Any]]] = []
    errors: list[RowError] = []
    first_seen: dict[str, int] = {}
    for record in records:
        form = check_line(record, today)
        errors.extend(RowError(record.line, problem) for problem in form.problems())
        key = " ".join(record.cells.get("name", "").split()).casefold()
        if key and key in first_seen:
            errors.append(
                RowError(record.line, _("This name appears already on line %(line)d.") % {"line": first_seen[key]})
            )
            continue
        if key:
            first_seen[key] = record.line
        if form.is_valid():
            lines.append((record.line, form.cleaned_data))
    return lines, errors


def _register(
    network: Network, by: User | None, lines: list[tuple[int, dict[str, Any]]], errors: list[RowError]
) -> ImportResult:
    """Register the good lines through the services; what they refuse is added to ``errors``."""
    found: list[tuple[int, dict[str, Any], Organisation]] = []
    for number, line in lines:
        try:
            organisation, _created = services.find_or_create_organisation(
                name=line["name"], type=line["type"], municipality=line["municipality"], website=line["website"]
            )
        except ValidationError as error:
            errors.extend(RowError(number, message) for message in error.messages)
            continue
        found.append((number, line, organisation))
    partnered = selectors.already_partners(network, (organisation for _n, _l, organisation in found))
    result = ImportResult()
    for number, line, organisation in found:
        if organisation.pk in partnered:
            result.skipped.append(organisation.name)
            continue
        try:
            services.register_partner(
                network=network,
                by=by,
                organisation=organisation,
                status=line["status"],
                since=line["since"],
                reasons=line["reasons"],
                reasons_note=line["reasons_note"],
                offers=line["offers"],
                offers_note=line["offers_note"],
                reason=_("Imported from a file."),
            )
        except ValidationError as error:
            errors.extend(RowError(number, message) for message in error.messages)
            continue
        partnered.add(organisation.pk)
        result.imported.append(organisation.name)
    return result
