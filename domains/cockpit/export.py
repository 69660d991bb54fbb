"""Export of a filtered list to CSV or XLSX, streamed, with formula injection neutralised."""

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime

from django.db.models import Manager, Model, QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook

# A spreadsheet runs a cell starting with these as a formula (CSV/XLSX injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000


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


def plain(value):
    """A value a spreadsheet cell can hold, in French conventions."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int | float):
        return value
    if isinstance(value, list | tuple):
        return neutralise(", ".join(str(item) for item in value))
    return neutralise(str(value))


def rows(
    queryset: QuerySet, columns: list[tuple[str, str | Callable]]
) -> Iterator[list]:
    # Prefetches are kept by iterator() when a chunk size is given.
    for record in queryset.iterator(chunk_size=CHUNK):
        yield [plain(resolve(record, path)) for _, path in columns]


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, headers: list[str], data: Iterable[list]):
    writer = csv.writer(_Echo(), delimiter=";")

    def stream():
        yield "\ufeff"  # BOM: Excel then reads the accents right
        yield writer.writerow([neutralise(h) for h in headers])
        for row in data:
            yield writer.writerow(row)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(filename: str, title: str, headers: list[str], data: Iterable[list]):
    return xlsx_sheets_response(filename, [(title, headers, data)])


def xlsx_sheets_response(
    filename: str, sheets: list[tuple[str, list[str], Iterable[list]]]
):
    """Write-only workbook (rows go to disk as they come), then streamed from the file;
    one sheet per (title, headers, rows)."""
    workbook = Workbook(write_only=True)
    for title, headers, data in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append([str(h) for h in headers])
        for row in data:
            sheet.append(row)
    # Closed by FileResponse once sent; a context manager would close it too early.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
