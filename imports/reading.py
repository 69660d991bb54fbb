"""Read a spreadsheet safely: the type from the content, CSV encodings and separators,
XLSX in read-only streaming mode behind a decompression-bomb guard."""

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from openpyxl import load_workbook

MAX_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED = 500 * 1024 * 1024  # all XLSX parts, inflated
MAX_RATIO = 250  # real sheets inflate 5–50×; bombs, thousands of times
ZIP_MAGIC = b"PK\x03\x04"


class FileRefused(Exception):
    """A file-level error: the whole file is refused, with a French reason."""


@dataclass
class Sheet:
    headers: list[str]
    rows: Iterator[tuple[int, list]]  # (line number as the user sees it, cells)
    kind: str  # "xlsx" or "csv"


def open_sheet(content: bytes) -> Sheet:
    if len(content) > MAX_BYTES:
        raise FileRefused(
            f"Fichier trop volumineux ({len(content) / 1e6:.0f} Mo ; 50 Mo au plus)."
        )
    if not content.strip():
        raise FileRefused("Le fichier est vide.")
    if content.startswith(ZIP_MAGIC):
        return _xlsx(content)
    if content.startswith(b"%PDF") or b"\x00" in content[:4096]:
        raise FileRefused(
            "Ce fichier n'est ni un classeur XLSX ni un fichier CSV (contenu binaire)."
        )
    return _csv(content)


def _xlsx(content: bytes) -> Sheet:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        total = 0
        for info in archive.infolist():
            total += info.file_size
            if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
                raise FileRefused(
                    "Classeur refusé : une de ses parties se décompresse de façon "
                    "anormale (protection contre les bombes de décompression)."
                )
        if total > MAX_UNCOMPRESSED:
            raise FileRefused("Classeur refusé : trop volumineux une fois décompressé.")
        if "xl/workbook.xml" not in archive.namelist():
            raise FileRefused("Ce fichier ZIP n'est pas un classeur Excel (XLSX).")
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except FileRefused:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileRefused(f"Classeur XLSX illisible ou corrompu ({error}).")
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    headers = next(rows, None)
    if headers is None or not any(h not in (None, "") for h in headers):
        raise FileRefused("La première feuille est vide : aucune ligne d'en-tête.")

    def data() -> Iterator[tuple[int, list]]:
        for line, row in enumerate(rows, start=2):
            if row and any(cell not in (None, "") for cell in row):
                yield line, list(row)

    return Sheet(
        headers=[h if h is not None else "" for h in headers], rows=data(), kind="xlsx"
    )


def _decode(content: bytes) -> str:
    if content.startswith(codecs.BOM_UTF8):
        return content[len(codecs.BOM_UTF8) :].decode("utf-8")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _csv(content: bytes) -> Sheet:
    body = _decode(content)
    first = body.splitlines()[0] if body.splitlines() else ""
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(body), delimiter=delimiter)
    headers = next(reader, None)
    if not headers or not any(h.strip() for h in headers):
        raise FileRefused("Le fichier est vide : aucune ligne d'en-tête.")

    def data() -> Iterator[tuple[int, list]]:
        for line, row in enumerate(reader, start=2):
            if any(cell.strip() for cell in row):
                yield line, row

    return Sheet(headers=headers, rows=data(), kind="csv")


def count_rows(content: bytes) -> int:
    """About how many data rows (for the progress bar), without reading them all."""
    if content.startswith(ZIP_MAGIC):
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True)
            return max(0, (workbook.worksheets[0].max_row or 1) - 1)
        except Exception:  # noqa: BLE001 - only an estimate; open_sheet says what is wrong
            return 0
    return max(0, content.count(b"\n") - (0 if content.endswith(b"\n") else -1) - 1)
