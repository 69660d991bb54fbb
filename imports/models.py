"""The history of imports: who, when, which file (kept, re-downloadable), its hash,
the dry run's report, the commit, their counts."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def upload_path(instance, filename: str) -> str:
    return f"imports/{instance.sha256[:2]}/{instance.sha256}/{filename}"


class ImportRun(models.Model):
    """States: checking → checked → committing → committed, or failed at any step."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Essai en cours")
        CHECKED = "checked", _("Essai terminé : à confirmer")
        COMMITTING = "committing", _("Import en cours")
        COMMITTED = "committed", _("Importé")
        FAILED = "failed", _("Refusé")
        CANCELLED = "cancelled", _("Abandonné")

    kind = models.CharField(_("type de fichier"), max_length=20)
    region = models.ForeignKey(
        "referential.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("région"),
    )
    # A faculty registry imports for her subdivision only (its semester activity).
    subdivision = models.ForeignKey(
        "referential.Subdivision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subdivision"),
    )
    file = models.FileField(_("fichier"), upload_to=upload_path)
    filename = models.CharField(_("nom du fichier"), max_length=255)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    status = models.CharField(
        _("état"), max_length=12, choices=Status.choices, default=Status.CHECKING
    )
    strict = models.BooleanField(_("tout ou rien"), default=False)
    total_rows = models.PositiveIntegerField(_("lignes"), default=0)
    counts = models.JSONField(_("résultats de l'essai"), default=dict)
    commit_counts = models.JSONField(_("résultats de l'import"), default=dict)
    unknown_columns = models.JSONField(_("colonnes ignorées"), default=list)
    problems = models.JSONField(_("premiers problèmes"), default=list)
    report = models.FileField(_("rapport"), upload_to="imports/reports/", blank=True)
    error = models.TextField(_("erreur"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("déposé par"),
    )
    created_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmé par"),
    )
    committed_at = models.DateTimeField(_("importé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("import de données")
        verbose_name_plural = _("imports de données")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} ({timezone.localtime(self.created_at):%d/%m/%Y %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("cockpit:reprise_detail", args=[self.pk])


class PersonProposal(models.Model):
    """A person of another source (SIDES NG, the matching tool) whom the import could
    not match for sure: proposed for review, never applied silently."""

    class Status(models.TextChoices):
        OPEN = "open", _("À examiner")
        LINKED = "linked", _("Rattachée")
        CREATED = "created", _("Personne créée")
        DISMISSED = "dismissed", _("Écartée")

    run = models.ForeignKey(
        ImportRun,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("import"),
    )
    line = models.PositiveIntegerField(_("ligne"))
    last_name = models.CharField(_("nom"), max_length=150)
    first_name = models.CharField(_("prénom"), max_length=150)
    email = models.EmailField(_("adresse e-mail"), blank=True)
    sides_id = models.CharField(_("identifiant SIDES NG"), max_length=50, blank=True)
    training_site = models.ForeignKey(
        "referential.TrainingSite",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("terrain de stage"),
    )
    role = models.CharField(_("fonction"), max_length=32, blank=True)
    region = models.ForeignKey(
        "referential.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("région"),
    )
    reason = models.CharField(_("pourquoi l'examiner"), max_length=300)
    candidates = models.ManyToManyField(
        "people.Person", related_name="+", verbose_name=_("personnes possibles")
    )
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_proposals",
        verbose_name=_("personne retenue"),
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("traitée par"),
    )
    resolved_at = models.DateTimeField(_("traitée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("proposée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("personne à rapprocher (reprise)")
        verbose_name_plural = _("personnes à rapprocher (reprise)")
        ordering = ["status", "-created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name.upper()}"

    def get_absolute_url(self) -> str:
        return reverse("cockpit:personnes_a_rapprocher_detail", args=[self.pk])
