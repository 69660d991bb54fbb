from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from domains.cockpit.dates import check_order

from .validators import finess_is_valid, format_finess, siret_is_valid


class Region(models.Model):
    code = models.CharField(_("code INSEE"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("région (ARS)")
        verbose_name_plural = _("régions (ARS)")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Subdivision(models.Model):
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="subdivisions",
        verbose_name=_("région"),
    )
    chu_city = models.CharField(_("ville du CHU"), max_length=100, blank=True)
    overseas = models.BooleanField(_("outre-mer"), default=False)
    comment = models.TextField(_("commentaire"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("subdivision")
        verbose_name_plural = _("subdivisions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Faculty(models.Model):
    name = models.CharField(_("nom"), max_length=200, unique=True)
    subdivision = models.ForeignKey(
        Subdivision,
        on_delete=models.PROTECT,
        related_name="faculties",
        verbose_name=_("subdivision"),
    )
    city = models.CharField(_("ville"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("faculté (UFR)")
        verbose_name_plural = _("facultés (UFR)")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SpecialtyKind(models.TextChoices):
    DES = "DES", _("DES")
    CO_DES = "CO-DES", _("Co-DES")
    OPTION = "OPTION", _("Option")
    FST = "FST", _("FST")


class Discipline(models.TextChoices):
    MEDICINE = "medecine", _("Médecine")
    PHARMACY = "pharmacie", _("Pharmacie")
    ODONTOLOGY = "odontologie", _("Odontologie")


class Specialty(models.Model):
    """A DES, co-DES, option (inside one DES) or FST (cross-DES)."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    label = models.CharField(_("libellé"), max_length=200)
    kind = models.CharField(_("type"), max_length=10, choices=SpecialtyKind.choices)
    discipline = models.CharField(
        _("discipline"), max_length=15, choices=Discipline.choices
    )
    duration_semesters = models.PositiveSmallIntegerField(_("durée (semestres)"))
    surgical = models.BooleanField(_("chirurgicale"), default=False)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="options",
        verbose_name=_("DES de rattachement"),
    )
    national_code = models.CharField(
        _("code de la nomenclature nationale"), max_length=20, blank=True
    )
    duration_basis = models.CharField(
        _("source de la durée"), max_length=200, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    is_open = models.BooleanField(_("ouverte aux nouveaux internes"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("spécialité (DES, option, FST)")
        verbose_name_plural = _("spécialités (DES, options, FST)")
        ordering = ["kind", "label"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="OPTION", parent__isnull=False) | ~Q(kind="OPTION")),
                name="referential_option_has_parent",
                violation_error_message=_("Une option appartient à un DES."),
            ),
            models.CheckConstraint(
                condition=Q(duration_semesters__gte=1, duration_semesters__lte=14),
                name="referential_specialty_duration_range",
                violation_error_message=_(
                    "La durée doit être comprise entre 1 et 14 semestres."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_option(self) -> bool:
        """An option lies inside one DES: no site is accredited, no coordinator
        named, for an option alone."""
        return self.kind == SpecialtyKind.OPTION


class Phase(models.Model):
    class Code(models.TextChoices):
        SOCLE = "socle", _("Phase socle")
        APPROFONDISSEMENT = "approfondissement", _("Phase d'approfondissement")
        CONSOLIDATION = "consolidation", _("Phase de consolidation")

    code = models.CharField(_("code"), max_length=20, choices=Code.choices, unique=True)
    label = models.CharField(_("libellé"), max_length=60)
    order = models.PositiveSmallIntegerField(_("ordre"))

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.label


class Season(models.TextChoices):
    WINTER = "winter", _("Hiver")
    SUMMER = "summer", _("Été")


class Semester(models.Model):
    """Winter runs from November to April, summer from May to October."""

    season = models.CharField(_("saison"), max_length=6, choices=Season.choices)
    year = models.PositiveSmallIntegerField(_("année"))
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("semestre")
        verbose_name_plural = _("semestres")
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["season", "year"],
                name="referential_semester_unique",
                violation_error_message=_("Ce semestre existe déjà."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="referential_semester_end_after_start",
                violation_error_message=_("La fin du semestre doit suivre son début."),
            ),
        ]

    def clean(self):
        super().clean()
        check_order(self, ("start_date", "end_date", None, True))

    def __str__(self) -> str:
        if self.season == Season.WINTER:
            return f"Hiver {self.year}-{self.year + 1}"
        return f"Été {self.year}"


class EstablishmentKind(models.TextChoices):
    LEGAL_ENTITY = "legal_entity", _("Entité juridique (EJ)")
    SITE = "site", _("Établissement géographique (ET)")


class DataQuality(models.TextChoices):
    CLEAN = "clean", _("Propre")
    TO_FIX = "to_fix", _("À corriger")


def data_quality_for(finess: str, siret: str) -> str:
    """Clean when a valid FINESS or a valid SIRET identifies the establishment."""
    if (finess and finess_is_valid(finess)) or (siret and siret_is_valid(siret)):
        return DataQuality.CLEAN
    return DataQuality.TO_FIX


class Establishment(models.Model):
    name = models.CharField(_("raison sociale"), max_length=255)
    kind = models.CharField(
        _("nature"),
        max_length=15,
        choices=EstablishmentKind.choices,
        default=EstablishmentKind.SITE,
    )
    finess = models.CharField(_("FINESS"), max_length=9, blank=True, db_index=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, db_index=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sites",
        verbose_name=_("entité juridique de rattachement"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="establishments",
        verbose_name=_("région"),
    )
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    city = models.CharField(_("commune"), max_length=100, blank=True)
    # Derived from the identifiers by the services; never typed by hand.
    data_quality = models.CharField(
        _("qualité des données"),
        max_length=6,
        choices=DataQuality.choices,
        default=DataQuality.TO_FIX,
        editable=False,
        db_index=True,
    )
    legacy_id = models.CharField(_("identifiant IMOTEP"), max_length=50, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("établissement")
        verbose_name_plural = _("établissements")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["finess"],
                condition=~Q(finess=""),
                name="referential_finess_unique",
                violation_error_message=_("Un établissement porte déjà ce FINESS."),
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("cockpit:etablissements_detail", args=[self.pk])

    def __str__(self) -> str:
        return f"{self.name} ({self.city})" if self.city else self.name

    @property
    def finess_display(self) -> str:
        return format_finess(self.finess) if self.finess else ""


class TrainingSiteKind(models.TextChoices):
    HOSPITAL = "hospital", _("Hospitalier")
    AMBULATORY = "ambulatory", _("Ambulatoire")
    OTHER = "other", _("Autre")


class TrainingSite(models.Model):
    """A terrain de stage: a hospital department or an ambulatory practice."""

    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.PROTECT,
        related_name="training_sites",
        verbose_name=_("établissement"),
    )
    subdivision = models.ForeignKey(
        Subdivision,
        on_delete=models.PROTECT,
        related_name="training_sites",
        verbose_name=_("subdivision"),
    )
    name = models.CharField(_("nom"), max_length=255)
    department = models.CharField(_("service"), max_length=255, blank=True)
    kind = models.CharField(
        _("type"),
        max_length=10,
        choices=TrainingSiteKind.choices,
        default=TrainingSiteKind.HOSPITAL,
    )
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    description = models.TextField(_("présentation aux internes"), blank=True)
    legacy_id = models.CharField(_("identifiant IMOTEP"), max_length=50, blank=True)
    is_active = models.BooleanField(_("actif"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("terrain de stage")
        verbose_name_plural = _("terrains de stage")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["subdivision", "is_active"])]

    def get_absolute_url(self) -> str:
        return reverse("cockpit:terrains_de_stage_detail", args=[self.pk])

    def __str__(self) -> str:
        return self.name


class AccreditationType(models.TextChoices):
    PRINCIPAL = "principal", _("Principal")
    COMPLEMENTARY = "complementary", _("Complémentaire")


class AccreditationState(models.TextChoices):
    PROVISIONAL = "provisional", _("Provisoire (1 an)")
    GRANTED = "granted", _("Accordé (5 ans)")
    REFUSED = "refused", _("Refusé")
    DEFERRED = "deferred", _("Différé")
    EXPIRED = "expired", _("Expiré")


# States under which a site may receive residents.
ACTIVE_ACCREDITATION_STATES = (
    AccreditationState.PROVISIONAL,
    AccreditationState.GRANTED,
)


class Accreditation(models.Model):
    """An agrément: a training site accredited for a specialty and some phases."""

    training_site = models.ForeignKey(
        TrainingSite,
        on_delete=models.PROTECT,
        related_name="accreditations",
        verbose_name=_("terrain de stage"),
    )
    specialty = models.ForeignKey(
        Specialty,
        on_delete=models.PROTECT,
        related_name="accreditations",
        verbose_name=_("spécialité"),
    )
    phases = models.ManyToManyField(
        Phase, related_name="accreditations", verbose_name=_("phases")
    )
    type = models.CharField(
        _("type d'agrément"),
        max_length=15,
        choices=AccreditationType.choices,
        default=AccreditationType.PRINCIPAL,
    )
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"))
    state = models.CharField(
        _("état"), max_length=12, choices=AccreditationState.choices
    )
    supervisor = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accreditations",
        verbose_name=_("responsable (RTS)"),
    )
    decision_reference = models.CharField(
        _("référence de la décision"), max_length=100, blank=True
    )
    # The decision's capacity: the posts opened on the site for the specialty, in a
    # semester, never hold more residents (empty: the decision sets none).
    max_residents = models.PositiveSmallIntegerField(
        _("nombre maximal d'internes"), null=True, blank=True
    )
    history = HistoricalRecords(m2m_fields=[phases])

    class Meta:
        verbose_name = _("agrément")
        verbose_name_plural = _("agréments")
        # Newest first, on an index: lists of 30,000 accreditations page without sorting.
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="referential_accreditation_end_after_start",
                violation_error_message=_("La fin de l'agrément précède son début."),
            ),
        ]
        indexes = [
            models.Index(fields=["training_site", "specialty", "state"]),
            models.Index(fields=["-start_date", "-id"], name="referential_acc_newest"),
            models.Index(fields=["end_date"], name="referential_acc_end"),
        ]

    def clean(self):
        super().clean()
        check_order(
            self,
            (
                "start_date",
                "end_date",
                _("La fin de l'agrément (%(end)s) précède son début (%(start)s)."),
            ),
        )

    def get_absolute_url(self) -> str:
        return reverse("cockpit:agrements_detail", args=[self.pk])

    def __str__(self) -> str:
        return f"{self.training_site} — {self.specialty} ({self.get_state_display()})"


class Post(models.Model):
    """A seat opened for a semester on an accredited training site."""

    semester = models.ForeignKey(
        Semester,
        on_delete=models.PROTECT,
        related_name="posts",
        verbose_name=_("semestre"),
    )
    training_site = models.ForeignKey(
        TrainingSite,
        on_delete=models.PROTECT,
        related_name="posts",
        verbose_name=_("terrain de stage"),
    )
    specialty = models.ForeignKey(
        Specialty,
        on_delete=models.PROTECT,
        related_name="posts",
        verbose_name=_("spécialité"),
    )
    phase = models.ForeignKey(
        Phase, on_delete=models.PROTECT, related_name="posts", verbose_name=_("phase")
    )
    seats = models.PositiveSmallIntegerField(_("nombre de postes"), default=1)
    coupled_with = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coupled_from",
        verbose_name=_("couplé avec"),
    )
    shared_specialties = models.ManyToManyField(
        Specialty,
        blank=True,
        related_name="shared_posts",
        verbose_name=_("spécialités partageant le poste (mixte)"),
    )
    cesp_reserved = models.BooleanField(
        _("réservé aux signataires du CESP"),
        default=False,
        help_text=_(
            "Seuls les internes signataires d'un contrat d'engagement de service "
            "public le voient et le choisissent."
        ),
    )
    history = HistoricalRecords(m2m_fields=[shared_specialties])

    class Meta:
        verbose_name = _("poste")
        verbose_name_plural = _("postes")
        # The order of the unique index: a semester's posts page without sorting.
        ordering = ["semester_id", "training_site_id", "specialty_id", "phase_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["semester", "training_site", "specialty", "phase"],
                name="referential_post_unique",
                violation_error_message=_(
                    "Un poste existe déjà pour ce semestre, ce terrain, cette spécialité "
                    "et cette phase : modifiez son nombre de places."
                ),
            ),
            models.CheckConstraint(
                condition=Q(seats__gte=1),
                name="referential_post_seats_positive",
                violation_error_message=_("Un poste compte au moins une place."),
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("cockpit:postes_detail", args=[self.pk])

    def __str__(self) -> str:
        return (
            f"{self.training_site} — {self.specialty} — {self.phase} ({self.semester})"
        )

    @property
    def is_mixed(self) -> bool:
        return self.shared_specialties.exists()
