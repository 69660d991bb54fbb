"""The import report as an XLSX workbook: one line per input row, through the shared
spreadsheet writer (which neutralises formulas)."""

from domains.cockpit.export import xlsx_bytes

from .pipeline import Report


def report_xlsx(report: Report) -> bytes:
    lines = [
        [result.line, result.status, result.key, result.column, result.reason]
        for result in report.results
    ]
    summary = [
        ["Écrit en base", "oui" if report.committed else "non (essai)"],
        *([status, count] for status, count in report.counts.items()),
        ["Total des lignes", len(report.results)],
        ["Colonnes ignorées", list(report.unknown_columns)],
    ]
    return xlsx_bytes(
        [
            ("Rapport", ["Ligne", "Résultat", "Clé", "Colonne", "Motif"], lines),
            ("Synthèse", ["Fichier", report.kind], summary),
        ]
    )
