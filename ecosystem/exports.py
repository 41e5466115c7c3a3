"""Spreadsheet exports for every app: one sheet, written as CSV or XLSX, served as a download.

Every text cell is guarded against formula injection, so a name like ``=HYPERLINK(...)`` stays text
in a spreadsheet. Apps build a :class:`Sheet` from their own rows (``partners.exports``, the decision
register) and hand it to :func:`file_response`.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO, StringIO

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

Cell = str | int | Decimal | datetime.date | datetime.datetime | None


@dataclass(frozen=True)
class Sheet:
    """What an export holds, before it is written as CSV or XLSX."""

    title: str
    header: list[str]
    rows: Iterable[Sequence[Cell]]


# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guard_formula(value: str) -> str:
    """Text a spreadsheet shows as text: a leading apostrophe where it would start a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return guard_formula(value)
    return str(value)


def write_csv(sheet: Sheet) -> bytes:
    """UTF-8 with a byte order mark (so Excel reads the accents right), comma-separated, quoted where needed."""
    buffer = StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_csv_text(h) for h in sheet.header])
    for row in sheet.rows:
        writer.writerow([_csv_text(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_value(value: Cell) -> Cell:
    if isinstance(value, str):
        # openpyxl refuses control characters, and would store "=..." as a formula.
        return guard_formula(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def write_xlsx(sheet: Sheet) -> bytes:
    """One worksheet: a bold header row, frozen, with a filter; dates as dates and amounts as numbers.

    openpyxl gives date and datetime cells an ISO number format of its own.
    """
    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = sheet.title[:31]
    worksheet.append([_xlsx_value(h) for h in sheet.header])
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    widths = [len(h) for h in sheet.header]
    for row in sheet.rows:
        worksheet.append([_xlsx_value(value) for value in row])
        for i, value in enumerate(row):
            widths[i] = max(widths[i], min(len(str(value or "")), 60))
    for i, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(i)].width = width + 2
    worksheet.freeze_panes = "A2"
    worksheet.auto_filter.ref = worksheet.dimensions
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


WRITERS: dict[str, tuple[Callable[[Sheet], bytes], str]] = {
    "csv": (write_csv, "text/csv; charset=utf-8"),
    "xlsx": (write_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def file_response(sheet: Sheet, fmt: str, stem: str) -> HttpResponse:
    """The sheet as a download named ``<stem>-<today>.<fmt>``; ``fmt`` must be a key of WRITERS."""
    write, content_type = WRITERS[fmt]
    response = HttpResponse(write(sheet), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}-{timezone.localdate().isoformat()}.{fmt}"'
    return response
