import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from domains.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_email
from domains.demo.seed import SCALES, DemoBuilder
from domains.people.roles import Role
from domains.referential.models import Establishment


class Command(BaseCommand):
    help = "Remplit une base vide avec des données de démonstration réalistes."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument(
            "--seed",
            type=int,
            default=2026,
            help="Graine du générateur : même graine, mêmes données.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Ne rien faire (sans erreur) si la base contient déjà "
            "des établissements.",
        )

    def handle(self, *args, scale, seed, if_empty, **options):
        if Establishment.objects.exists():
            if if_empty:
                self.stdout.write(
                    "Base déjà remplie : données de démonstration non chargées."
                )
                self.print_accounts()
                return
            raise CommandError(
                "La base contient déjà des établissements : les données de démonstration "
                "ne se chargent que dans une base vide (supprimez db.sqlite3 ou utilisez "
                "une base neuve)."
            )
        random.seed(seed)
        started = time.perf_counter()
        counts = DemoBuilder(scale=scale, seed=seed, today=timezone.localdate()).build()
        elapsed = time.perf_counter() - started
        for label, value in counts.items():
            self.stdout.write(f"  {label:<32} {value:>8}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Données de démonstration « {scale} » chargées en {elapsed:.1f} s."
            )
        )
        self.print_accounts()

    def print_accounts(self) -> None:
        self.stdout.write(
            f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :"
        )
        for role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {Role(role).label:<45} {demo_email(role)}")
