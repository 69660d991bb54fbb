"""Declare SAML identity providers from their metadata (one IdP, or a whole federation)."""

from pathlib import Path
from urllib.request import urlopen

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from domains.identity import dev_idp
from domains.identity.saml import SamlRefused
from domains.identity.services import identity_providers_load


class Command(BaseCommand):
    help = (
        "Charge les fournisseurs d'identité SAML d'un fichier ou d'une adresse de "
        "métadonnées (--dev : le fournisseur de test local)."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", nargs="?", help="fichier ou URL des métadonnées")
        parser.add_argument(
            "--only",
            action="append",
            default=[],
            help="entityID à retenir (répétable) dans des métadonnées de fédération",
        )
        parser.add_argument(
            "--dev", action="store_true", help="le fournisseur de test de /dev-idp/"
        )

    def handle(self, *args, source, only, dev, **options):
        if dev:
            if not settings.SAML_DEV_IDP:
                raise CommandError("SAML_DEV_IDP est désactivé dans ces réglages.")
            idp = dev_idp.register()
            self.stdout.write(f"Fournisseur de test déclaré : {idp.entity_id}")
            return
        if not source:
            raise CommandError("Indiquez un fichier ou une URL de métadonnées.")
        if source.startswith(("https://", "http://")):
            with urlopen(source, timeout=60) as response:  # noqa: S310 (admin-given URL)
                xml = response.read().decode()
            url = source
        else:
            path = Path(source)
            if not path.exists():
                raise CommandError(f"Fichier introuvable : {source}")
            xml, url = path.read_text(encoding="utf-8"), ""
        try:
            providers = identity_providers_load(
                metadata_xml=xml, metadata_url=url, only=only
            )
        except SamlRefused as error:
            raise CommandError(error.message)
        for idp in providers:
            self.stdout.write(f"  {idp.name} — {idp.entity_id}")
        self.stdout.write(
            self.style.SUCCESS(f"{len(providers)} fournisseur(s) d'identité à jour.")
        )
