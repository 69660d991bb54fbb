from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from domains.cockpit.dates import check_order

from .roles import ALL_PERIMETER_FIELDS, PERIMETER_FIELDS, ROLE_PERIMETER, Role
from .validators import validate_birth_date


class User(AbstractUser):
    """The Django account of one Person; identity lives on Person and its e-mails."""

    # Part of every session's signature: raising it signs the account out everywhere.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)
    # The person may turn off sign-in links by e-mail, if another way remains.
    magic_link_enabled = models.BooleanField(
        _("connexion par lien e-mail"), default=True
    )

    def _get_session_auth_hash(self, secret=None):
        return salted_hmac(
            "siimop.people.User.get_session_auth_hash",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    class Meta:
        verbose_name = _("compte utilisateur")
        verbose_name_plural = _("comptes utilisateurs")


class Civility(models.TextChoices):
    MR = "M", _("M.")
    MRS = "MME", _("Mme")


class Person(models.Model):
    user = models.OneToOneField(
        User, on_delete=models.PROTECT, related_name="person", verbose_name=_("compte")
    )
    civility = models.CharField(_("civilité"), max_length=3, choices=Civility.choices)
    last_name = models.CharField(_("nom"), max_length=150)
    birth_name = models.CharField(_("nom de naissance"), max_length=150, blank=True)
    first_name = models.CharField(_("prénom"), max_length=150)
    birth_date = models.DateField(
        _("date de naissance"),
        null=True,
        blank=True,
        validators=[validate_birth_date],
    )
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["last_name", "first_name", "pk"]
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def get_absolute_url(self) -> str:
        return reverse("cockpit:personnes_detail", args=[self.pk])

    def __str__(self) -> str:
        return (
            f"{self.get_civility_display()} {self.first_name} {self.last_name.upper()}"
        )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name.upper()}"

    @property
    def primary_email(self) -> str | None:
        return next((e.email for e in self.emails.all() if e.is_primary), None)


class LegacySystem(models.TextChoices):
    IMOTEP = "imotep", _("IMOTEP")
    SIDES_NG = "sides_ng", _("SIDES NG")


class LegacyIdentifier(models.Model):
    """An identifier the person had in a legacy system, carried over by the data recovery.

    A person may hold several per system: duplicates of the legacy tools end up merged
    onto one person, with every identifier they had.
    """

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="legacy_ids",
        verbose_name=_("personne"),
    )
    system = models.CharField(_("système"), max_length=10, choices=LegacySystem.choices)
    value = models.CharField(_("identifiant"), max_length=50)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("identifiant historique")
        verbose_name_plural = _("identifiants historiques")
        ordering = ["system", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "value"],
                name="people_legacy_id_unique",
                violation_error_message=_(
                    "Cet identifiant historique appartient déjà à une personne."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_system_display()} {self.value}"


class PersonMerge(models.Model):
    """The audit record of two persons merged into one: who, when, why, what moved."""

    kept = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="merges",
        verbose_name=_("personne conservée"),
    )
    merged_id = models.PositiveIntegerField(_("numéro de la personne fusionnée"))
    merged_label = models.CharField(_("personne fusionnée"), max_length=300)
    moved = models.JSONField(_("éléments déplacés"), default=dict)
    reason = models.TextField(_("motif"), blank=True)
    by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )
    at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("fusion de personnes")
        verbose_name_plural = _("fusions de personnes")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.merged_label} → {self.kept} ({timezone.localtime(self.at):%d/%m/%Y})"


class EmailAddress(models.Model):
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="emails",
        verbose_name=_("personne"),
    )
    email = models.EmailField(_("adresse e-mail"), max_length=254)
    is_primary = models.BooleanField(_("principale"), default=False)
    is_verified = models.BooleanField(_("vérifiée"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("adresse e-mail")
        verbose_name_plural = _("adresses e-mail")
        ordering = ["-is_primary", "email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="people_email_unique_ci",
                violation_error_message=_(
                    "Cette adresse e-mail appartient déjà à une personne."
                ),
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(is_primary=True),
                name="people_one_primary_email",
                violation_error_message=_(
                    "Une personne n'a qu'une adresse e-mail principale."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.email


def _function_perimeter_constraint() -> Q:
    """Each role fills exactly the perimeter fields of its perimeter kind."""
    condition = Q()
    for role, kind in ROLE_PERIMETER.items():
        needed = PERIMETER_FIELDS[kind]
        clause = Q(role=role)
        for field in ALL_PERIMETER_FIELDS:
            clause &= Q(**{f"{field}__isnull": field not in needed})
        condition |= clause
    return condition


class Function(models.Model):
    """A person's role on a perimeter for a period (fonction)."""

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="functions",
        verbose_name=_("personne"),
    )
    role = models.CharField(_("rôle"), max_length=32, choices=Role.choices)
    # Perimeter: which fields are set depends on the role (see roles.ROLE_PERIMETER).
    region = models.ForeignKey(
        "referential.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="functions",
        verbose_name=_("région"),
    )
    subdivision = models.ForeignKey(
        "referential.Subdivision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="functions",
        verbose_name=_("subdivision"),
    )
    specialty = models.ForeignKey(
        "referential.Specialty",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="functions",
        verbose_name=_("spécialité"),
    )
    establishment = models.ForeignKey(
        "referential.Establishment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="functions",
        verbose_name=_("établissement"),
    )
    training_site = models.ForeignKey(
        "referential.TrainingSite",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="functions",
        verbose_name=_("terrain de stage"),
    )
    start_date = models.DateField(_("date de début"))
    end_date = models.DateField(_("date de fin"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fonction")
        verbose_name_plural = _("fonctions")
        ordering = ["person", "role", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=_function_perimeter_constraint(),
                name="people_function_perimeter_matches_role",
                violation_error_message=_("Le périmètre ne correspond pas au rôle."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="people_function_end_after_start",
                violation_error_message=_("La date de fin précède la date de début."),
            ),
        ]
        indexes = [models.Index(fields=["role", "end_date"])]

    def clean(self):
        super().clean()
        check_order(self, ("start_date", "end_date"))

    def __str__(self) -> str:
        perimeter = self.perimeter_label
        label = self.get_role_display()
        return f"{label} — {perimeter}" if perimeter else label

    @property
    def perimeter_label(self) -> str:
        if self.specialty_id and self.subdivision_id:
            return f"{self.specialty} ({self.subdivision})"
        for field in ("training_site", "establishment", "subdivision", "region"):
            value = getattr(self, field)
            if value is not None:
                return str(value)
        if ROLE_PERIMETER[self.role] == "national":
            return str(_("National"))
        return ""

    def is_active_on(self, day) -> bool:
        return self.start_date <= day and (
            self.end_date is None or self.end_date >= day
        )
