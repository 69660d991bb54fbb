"""The import pipeline shared by every kind: read → normalise → validate → match →
report → commit.

A run always goes to the end of the file inside one transaction; a dry run rolls it
back, so it reports exactly what a commit would do (a row may rely on one above it).
"""

from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from .permissions import may_import
from .reading import FileRefused, open_sheet
from .values import fold, text


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # as documented and as the report names it
    synonyms: tuple[str, ...] = ()
    required: bool = True

    def names(self) -> set[str]:
        return {fold(self.label), *(fold(s) for s in self.synonyms)}


class Status:
    CREATED = "créée"
    UPDATED = "mise à jour"
    UNCHANGED = "inchangée"
    ARCHIVED = "archivée"
    REJECTED = "rejetée"
    TO_REVIEW = "à examiner"

    ORDER = (CREATED, UPDATED, UNCHANGED, ARCHIVED, TO_REVIEW, REJECTED)


@dataclass
class RowResult:
    line: int
    status: str
    key: str = ""
    column: str = ""
    reason: str = ""


class Rejected(Exception):
    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column, self.reason = column, reason


@dataclass
class Report:
    kind: str
    results: list[RowResult] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    committed: bool = False

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(r.status for r in self.results)
        return {status: counted.get(status, 0) for status in Status.ORDER}

    @property
    def problems(self) -> list[RowResult]:
        return [
            r for r in self.results if r.status in (Status.REJECTED, Status.TO_REVIEW)
        ]


class Importer(ABC):
    """One kind of file. Subclasses declare `columns` and write `handle`."""

    kind = ""
    label = ""
    columns: list[Column] = []
    # A file that is one decision (a semester's activity, its opening of posts) is
    # written whole or not at all: one rejected row and nothing is written.
    all_or_nothing = False

    def __init__(self, *, region=None, by=None, run=None, subdivision=None):
        self.region = region  # an ARS agent imports for her region only
        self.subdivision = subdivision  # a faculty registry for her subdivision only
        self.by = by
        self.run = run  # the cockpit's ImportRun, when there is one

    def prepare(self) -> None:  # noqa: B027 - optional hook
        """Load the lookups the rows need, once (not one query per row)."""

    @abstractmethod
    def handle(self, row: dict, line: int) -> RowResult:
        """Validate one row, match it, write it (or gather it for `finish`)."""

    def finish(self) -> None:  # noqa: B027 - optional hook
        """Write what was gathered in bulk."""

    def required(self, row: dict, key: str) -> str:
        value = text(row.get(key))
        if not value:
            raise Rejected(self.column_label(key), "valeur obligatoire manquante")
        return value

    def column_label(self, key: str) -> str:
        return next(c.label for c in self.columns if c.key == key)


def map_headers(importer: Importer, headers: list) -> tuple[dict[str, int], list[str]]:
    """Which column holds which field; unknown headers are listed, missing required
    ones refuse the file."""
    positions: dict[str, int] = {}
    unknown = []
    for index, header in enumerate(headers):
        name = fold(header)
        column = next((c for c in importer.columns if name in c.names()), None)
        if column is None:
            if text(header):
                unknown.append(text(header))
        elif column.key not in positions:
            positions[column.key] = index
    missing = [
        c.label for c in importer.columns if c.required and c.key not in positions
    ]
    if missing:
        raise FileRefused(
            "Colonne(s) obligatoire(s) absente(s) : "
            + ", ".join(f"« {m} »" for m in missing)
            + f". Colonnes attendues pour « {importer.label} » : "
            + ", ".join(c.label for c in importer.columns)
            + "."
        )
    return positions, unknown


def run_import(
    importer: Importer,
    content: bytes,
    *,
    commit: bool,
    strict: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Import a file (FileRefused for a file-level error); every row gets a result."""
    # Each kind names the roles that may import it (permissions.KIND_ROLES): a faculty
    # registry holds the import permission for its semester activity only.
    if importer.by is not None and not may_import(importer.by, importer.kind):
        raise FileRefused(
            f"Votre fonction ne vous permet pas d'importer ce type de fichier "
            f"({importer.label})."
        )
    sheet = open_sheet(content)
    positions, unknown = map_headers(importer, sheet.headers)
    report = Report(kind=importer.kind, unknown_columns=unknown)
    with transaction.atomic():
        importer.prepare()
        for count, (line, cells) in enumerate(sheet.rows, start=1):
            row = {
                key: cells[index] if index < len(cells) else None
                for key, index in positions.items()
            }
            try:
                result = importer.handle(row, line)
            except Rejected as refusal:
                result = RowResult(
                    line, Status.REJECTED, column=refusal.column, reason=refusal.reason
                )
            report.results.append(result)
            if progress is not None and count % 1000 == 0:
                progress(count)
        importer.finish()
        # --strict (or an all-or-nothing kind): one rejected row and nothing of the
        # file is written.
        strict = strict or importer.all_or_nothing
        written = commit and not (strict and report.counts[Status.REJECTED])
        if not written:
            transaction.set_rollback(True)
    report.committed = written
    return report
