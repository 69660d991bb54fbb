"""Recover a legacy file: `manage.py import_legacy KIND FILE [--commit] [--report R.xlsx]
[--region CODE] [--subdivision CODE] [--strict]`. Without --commit: a dry run that writes nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from domains.people.permissions import SYSTEM
from domains.referential.models import Region, Subdivision
from imports.kinds import IMPORTERS
from imports.pipeline import Status, run_import
from imports.reading import FileRefused
from imports.report import report_xlsx


class Command(BaseCommand):
    help = "Importe un fichier IMOTEP ou un tableur d'ARS (essai sans --commit)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(IMPORTERS))
        parser.add_argument("file")
        parser.add_argument("--commit", action="store_true", help="écrire en base")
        parser.add_argument("--report", help="rapport XLSX à écrire")
        parser.add_argument("--region", help="code INSEE de la région (ex. 84)")
        parser.add_argument(
            "--subdivision", help="code de la subdivision (ex. LYON), pour l'activité"
        )
        parser.add_argument(
            "--strict", action="store_true", help="une ligne rejetée annule tout"
        )

    def handle(
        self, *args, kind, file, commit, report, region, subdivision, strict, **options
    ):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"Fichier introuvable : {file}")
        region_obj = None
        if region:
            region_obj = Region.objects.filter(code=region).first()
            if region_obj is None:
                raise CommandError(f"Région inconnue : {region}")
        subdivision_obj = None
        if subdivision:
            subdivision_obj = Subdivision.objects.filter(code=subdivision).first()
            if subdivision_obj is None:
                raise CommandError(f"Subdivision inconnue : {subdivision}")
        # The command line is the platform acting (people.permissions.SYSTEM).
        importer = IMPORTERS[kind](
            region=region_obj, subdivision=subdivision_obj, by=SYSTEM
        )
        try:
            result = run_import(
                importer, path.read_bytes(), commit=commit, strict=strict
            )
        except FileRefused as error:
            raise CommandError(str(error))
        for status, count in result.counts.items():
            self.stdout.write(f"  {status:<14}{count:>8}")
        self.stdout.write(f"  {'total':<14}{len(result.results):>8}")
        if result.unknown_columns:
            self.stdout.write(
                "Colonnes ignorées : " + ", ".join(result.unknown_columns)
            )
        for problem in result.problems[:10]:
            self.stdout.write(
                f"  ligne {problem.line} — {problem.column} : {problem.reason}"
            )
        if report:
            Path(report).write_bytes(report_xlsx(result))
            self.stdout.write(f"Rapport : {report}")
        if result.committed:
            self.stdout.write(self.style.SUCCESS("Import écrit en base."))
        elif commit and result.counts[Status.REJECTED]:  # --strict or all or nothing
            self.stdout.write(
                self.style.WARNING(
                    "Tout ou rien : des lignes sont rejetées, rien n'est écrit."
                )
            )
        else:
            self.stdout.write("Essai : rien n'est écrit (ajoutez --commit).")
