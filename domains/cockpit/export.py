"""The project's one spreadsheet writer (XLSX and CSV): every download goes through it.

It makes every value safe by itself, so no caller can forget: a text cell (headers and
sheet titles too) starting with a formula character is prefixed with `'` (CSV/XLSX
injection), numbers stay numbers, and dates are real dates in XLSX (dd/mm/yyyy) and
French strings in CSV. Lists of records are streamed (rows go to disk as they come).
"""

import csv
import io
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import BinaryIO

from django.db.models import Manager, Model, QuerySet
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# A spreadsheet runs a cell starting with these as a formula (CSV/XLSX injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
# Characters Excel refuses in a sheet title, and line breaks.
TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]\t\r\n]")

# (title, headers, rows): one sheet of a workbook.
Sheet = tuple[str, list, Iterable[Iterable]]


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def resolve(record: Model, path: str | Callable):
    """Follow `a__b` or `a.b` from the record; choices give their label, m2m a list."""
    if callable(path):
        return path(record)
    target = record
    parts = path.replace(".", "__").split("__")
    for i, part in enumerate(parts):
        if target is None:
            return None
        if i == len(parts) - 1 and hasattr(target, f"get_{part}_display"):
            return getattr(target, f"get_{part}_display")()
        target = getattr(target, part)
    if isinstance(target, Manager):
        return ", ".join(str(item) for item in target.all())
    return target


def _text(value) -> str:
    if isinstance(value, list | tuple):
        value = ", ".join(str(item) for item in value)
    return neutralise(str(value))


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def plain(value):
    """A value as text or number, in French conventions (dd/mm/yyyy), neutralised: a
    CSV cell, or a value shown on a page."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if _is_number(value):
        return value
    return _text(value)


def xlsx_value(value):
    """A value as an XLSX cell holds it: dates stay dates (local time, naive, since
    XLSX has no time zones); text is neutralised."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(value)
        return value
    if isinstance(value, date | time):
        return value
    # Characters XML cannot hold would make openpyxl refuse the whole file.
    value = plain(value)
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def sheet_title(title) -> str:
    """A sheet title Excel accepts (31 characters, none of \\/*?:[]), neutralised; the
    `'` of cells is refused at the start of a title, hence `_`."""
    title = ILLEGAL_CHARACTERS_RE.sub("", str(title))
    title = TITLE_FORBIDDEN.sub(" ", title).strip(" '")
    if title.startswith(FORMULA_PREFIXES):
        title = "_" + title
    return title[:31].strip("'") or "Feuille"


def rows(
    queryset: QuerySet, columns: list[tuple[str, str | Callable]]
) -> Iterator[list]:
    """The raw values of each record along the columns; the writer formats them."""
    # Prefetches are kept by iterator() when a chunk size is given.
    for record in queryset.iterator(chunk_size=CHUNK):
        yield [resolve(record, path) for _, path in columns]


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, headers: list, data: Iterable[Iterable]):
    """A `;`-separated CSV, streamed, with a BOM so that Excel reads the accents."""
    writer = csv.writer(_Echo(), delimiter=";")

    def stream():
        yield "\ufeff"
        yield writer.writerow([plain(h) for h in headers])
        for row in data:
            yield writer.writerow([plain(value) for value in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _xlsx_row(sheet, row: Iterable) -> list:
    cells = []
    for value in row:
        value = xlsx_value(value)
        if isinstance(value, date | time):
            cell = WriteOnlyCell(sheet, value)
            if isinstance(value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, date):
                cell.number_format = DATE_FORMAT
            value = cell
        cells.append(value)
    return cells


def xlsx_write(sheets: Iterable[Sheet], output: BinaryIO) -> None:
    """Write a workbook, one sheet per (title, headers, rows); headers may be empty."""
    workbook = Workbook(write_only=True)
    for title, headers, data in sheets:
        sheet = workbook.create_sheet(title=sheet_title(title))
        if headers:
            sheet.append(_xlsx_row(sheet, headers))
        for row in data:
            sheet.append(_xlsx_row(sheet, row))
    workbook.save(output)


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """The workbook as bytes, for a file kept in storage (an import report)."""
    output = io.BytesIO()
    xlsx_write(sheets, output)
    return output.getvalue()


def xlsx_response(filename: str, title: str, headers: list, data: Iterable[Iterable]):
    return xlsx_sheets_response(filename, [(title, headers, data)])


def xlsx_sheets_response(filename: str, sheets: Iterable[Sheet]):
    """The workbook written to a temporary file, then streamed from it."""
    # Closed by FileResponse once sent; a context manager would close it too early.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    xlsx_write(sheets, handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A generated PDF as a download (`filename` without its extension)."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response
