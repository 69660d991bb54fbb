"""The import report as an XLSX workbook: one line per input row, cells neutralised."""

import io

from openpyxl import Workbook

from domains.cockpit.export import neutralise

from .pipeline import Report


def report_xlsx(report: Report) -> bytes:
    workbook = Workbook(write_only=True)
    rows = workbook.create_sheet("Rapport")
    rows.append(["Ligne", "Résultat", "Clé", "Colonne", "Motif"])
    for result in report.results:
        rows.append(
            [
                result.line,
                result.status,
                neutralise(result.key),
                neutralise(result.column),
                neutralise(result.reason),
            ]
        )
    summary = workbook.create_sheet("Synthèse")
    summary.append(["Fichier", report.kind])
    summary.append(["Écrit en base", "oui" if report.committed else "non (essai)"])
    for status, count in report.counts.items():
        summary.append([status, count])
    summary.append(["Total des lignes", len(report.results)])
    summary.append(
        ["Colonnes ignorées", ", ".join(map(neutralise, report.unknown_columns))]
    )
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
