"""A resident's whole path: enrolments, phases, placements, special situations, documents."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from domains.cockpit.dates import check_order


class RankingKind(models.TextChoices):
    ECN = "ecn", _("Rang ECN (jusqu'en 2023)")
    PERCENTAGE = "percentage", _("Position en pourcentage (2024)")
    SPECIALTY_GROUP = (
        "specialty_group",
        _("Rang dans le groupe de spécialités (2025 et après)"),
    )


class Resident(models.Model):
    """A Person following a third-cycle specialty training (interne)."""

    person = models.OneToOneField(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="resident",
        verbose_name=_("personne"),
    )
    faculty = models.ForeignKey(
        "referential.Faculty", on_delete=models.PROTECT, verbose_name=_("faculté")
    )
    subdivision = models.ForeignKey(
        "referential.Subdivision",
        on_delete=models.PROTECT,
        related_name="residents",
        verbose_name=_("subdivision"),
    )
    cohort = models.PositiveSmallIntegerField(
        _("promotion"), help_text=_("Année des épreuves nationales classantes.")
    )
    ranking_kind = models.CharField(
        _("type de classement"), max_length=16, choices=RankingKind.choices
    )
    national_rank = models.PositiveIntegerField(_("rang"), null=True, blank=True)
    rank_percentage = models.DecimalField(
        _("position (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    cesp = models.BooleanField(
        _("contrat d'engagement de service public (CESP)"), default=False
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("interne")
        verbose_name_plural = _("internes")
        ordering = ["person__last_name", "person__first_name", "pk"]
        permissions = [("view_statistics", _("Voir les statistiques des internes"))]
        indexes = [
            models.Index(fields=["subdivision", "cohort"]),
            # A cohort's ranks in order, read from the index alone: what the call
            # lists' comparable ranking places each resident among.
            models.Index(fields=["cohort", "ranking_kind", "national_rank"]),
        ]

    def __str__(self) -> str:
        return self.person.full_name

    def get_absolute_url(self) -> str:
        return reverse("cockpit:internes_detail", args=[self.pk])


class EnrolmentState(models.TextChoices):
    ACTIVE = "active", _("En cours")
    CHANGED = "changed", _("Quittée (droit au remords)")
    COMPLETED = "completed", _("Diplômé")
    ENDED = "ended", _("Arrêtée")


class Enrolment(models.Model):
    """The resident's DES (and at most one option or FST) with a faculty."""

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="enrolments"
    )
    specialty = models.ForeignKey(
        "referential.Specialty",
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("DES"),
    )
    option_or_fst = models.ForeignKey(
        "referential.Specialty",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("option ou FST"),
    )
    start_semester = models.ForeignKey(
        "referential.Semester",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("semestre de début"),
    )
    state = models.CharField(
        _("état"),
        max_length=10,
        choices=EnrolmentState.choices,
        default=EnrolmentState.ACTIVE,
        db_index=True,
    )
    thesis_date = models.DateField(_("soutenance de thèse"), null=True, blank=True)
    diploma_date = models.DateField(_("obtention du diplôme"), null=True, blank=True)
    ended_on = models.DateField(_("fin"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["resident", "-start_semester__start_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(state="active"),
                name="residents_one_active_enrolment",
                violation_error_message=_(
                    "Un interne n'a qu'une inscription en cours."
                ),
            )
        ]

    def __str__(self) -> str:
        extra = f" — {self.option_or_fst.label}" if self.option_or_fst_id else ""
        return f"{self.specialty.label}{extra}"


class JuryDecision(models.TextChoices):
    VALIDATED = "validated", _("Phase validée")
    NOT_VALIDATED = "not_validated", _("Phase non validée")
    EXTENDED = "extended", _("Prolongation")


class PhasePeriod(models.Model):
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="phase_periods"
    )
    phase = models.ForeignKey(
        "referential.Phase", on_delete=models.PROTECT, verbose_name=_("phase")
    )
    start_date = models.DateField(_("début"))
    planned_end = models.DateField(_("fin prévue"))
    actual_end = models.DateField(_("fin effective"), null=True, blank=True)
    jury_date = models.DateField(_("date du jury"), null=True, blank=True)
    jury_decision = models.CharField(
        _("décision du jury"), max_length=16, choices=JuryDecision.choices, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("période de phase")
        verbose_name_plural = _("périodes de phase")
        ordering = ["enrolment", "start_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(actual_end__isnull=True),
                name="residents_one_open_phase",
                violation_error_message=_("Une seule phase est en cours à la fois."),
            ),
            models.CheckConstraint(
                condition=Q(planned_end__gte=F("start_date"))
                & (Q(actual_end__isnull=True) | Q(actual_end__gte=F("start_date"))),
                name="residents_phase_ends_after_start",
                violation_error_message=_("La fin de la phase précède son début."),
            ),
        ]

    def clean(self):
        super().clean()
        check_order(
            self,
            (
                "start_date",
                "planned_end",
                _("La fin prévue (%(end)s) précède le début de la phase (%(start)s)."),
            ),
            (
                "start_date",
                "actual_end",
                _(
                    "La fin effective (%(end)s) précède le début de la phase "
                    "(%(start)s)."
                ),
            ),
        )

    def __str__(self) -> str:
        return f"{self.phase.label} ({self.start_date:%d/%m/%Y})"


class PlacementKind(models.TextChoices):
    SPECIALTY = "specialty", _("Dans la spécialité")
    OTHER_SPECIALTY = "other", _("Hors spécialité")
    AMBULATORY = "ambulatory", _("Ambulatoire")
    FREE = "free", _("Libre")


class Validation(models.TextChoices):
    PENDING = "pending", _("En attente")
    VALIDATED = "validated", _("Validé")
    NOT_VALIDATED = "not_validated", _("Non validé")


class PlacementMode(models.TextChoices):
    R3C = "r3c", _("R3C")
    ARCHIVE = "archive", _("Archive (reprise)")


class Placement(models.Model):
    """A stage: one resident on one training site for one semester."""

    resident = models.ForeignKey(
        Resident,
        on_delete=models.CASCADE,
        related_name="placements",
        verbose_name=_("interne"),
    )
    semester = models.ForeignKey(
        "referential.Semester",
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("semestre"),
    )
    training_site = models.ForeignKey(
        "referential.TrainingSite",
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("terrain de stage"),
    )
    post = models.ForeignKey(
        "referential.Post",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("poste"),
    )
    specialty = models.ForeignKey(
        "referential.Specialty",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("spécialité"),
    )
    phase = models.ForeignKey(
        "referential.Phase", on_delete=models.PROTECT, verbose_name=_("phase")
    )
    kind = models.CharField(
        _("type de stage"),
        max_length=12,
        choices=PlacementKind.choices,
        default=PlacementKind.SPECIALTY,
    )
    validation = models.CharField(
        _("validation"),
        max_length=14,
        choices=Validation.choices,
        default=Validation.PENDING,
        db_index=True,
    )
    validation_reasons = models.TextField(_("motifs de non-validation"), blank=True)
    absence_days = models.PositiveSmallIntegerField(_("jours d'absence"), default=0)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décision par"),
    )
    validated_at = models.DateTimeField(_("décision le"), null=True, blank=True)
    mode = models.CharField(
        _("mode"),
        max_length=8,
        choices=PlacementMode.choices,
        default=PlacementMode.R3C,
    )
    archive_reason = models.CharField(
        _("motif d'archivage"), max_length=300, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["resident", "semester__start_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "semester"],
                name="residents_one_placement_per_semester",
                violation_error_message=_("Cet interne a déjà un stage ce semestre."),
            ),
            models.CheckConstraint(
                condition=~Q(validation="not_validated") | ~Q(validation_reasons=""),
                name="residents_refusal_has_reasons",
                violation_error_message=_(
                    "Indiquez les motifs de la non-validation : ils sont obligatoires."
                ),
            ),
        ]
        indexes = [models.Index(fields=["semester", "validation"])]

    def __str__(self) -> str:
        return f"{self.semester} — {self.training_site}"

    def get_absolute_url(self) -> str:
        return reverse("cockpit:stages_detail", args=[self.pk])


class SituationKind(models.TextChoices):
    LEAVE = "leave", _("Disponibilité")
    SUPERNUMERARY_VALIDATING = "supernumerary_v", _("Surnombre validant")
    SUPERNUMERARY_NON_VALIDATING = "supernumerary_nv", _("Surnombre non validant")
    SPECIALTY_CHANGE = "remorse", _("Droit au remords")
    INTER_CHU = "inter_chu", _("InterCHU")
    RESEARCH_YEAR = "research", _("Année recherche")
    OUT_OF_CHOICE = "out_of_choice", _("Hors choix")
    MATERNITY = "maternity", _("Congé maternité")
    SICK_LEAVE = "sick_leave", _("Congé maladie")


class LeaveReason(models.TextChoices):
    PERSONAL = "personal", _("Convenances personnelles")
    FAMILY = "family", _("Raisons familiales (enfant, conjoint, parent)")
    STUDIES = "studies", _("Études ou recherches")
    THESIS = "thesis", _("Préparation de la thèse")


class SituationStatus(models.TextChoices):
    REQUESTED = "requested", _("Demandée")
    OPINION = "opinion", _("Avis donné")
    APPROVED = "approved", _("Accordée")
    REFUSED = "refused", _("Refusée")
    WITHDRAWN = "withdrawn", _("Retirée")


# A request still waiting for its decision: opinions, decision and withdrawal apply.
OPEN_SITUATION_STATUSES = (SituationStatus.REQUESTED, SituationStatus.OPINION)


class Opinion(models.TextChoices):
    FAVOURABLE = "favourable", _("Favorable")
    RESERVED = "reserved", _("Réservé")
    UNFAVOURABLE = "unfavourable", _("Défavorable")


class SpecialSituation(models.Model):
    """A special situation and its request → opinion → decision workflow."""

    resident = models.ForeignKey(
        Resident,
        on_delete=models.CASCADE,
        related_name="situations",
        verbose_name=_("interne"),
    )
    kind = models.CharField(
        _("situation"), max_length=16, choices=SituationKind.choices
    )
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"))
    status = models.CharField(
        _("état"),
        max_length=10,
        choices=SituationStatus.choices,
        default=SituationStatus.REQUESTED,
        db_index=True,
    )
    motive = models.TextField(_("motif de la demande"), blank=True)
    leave_reason = models.CharField(
        _("motif de disponibilité"),
        max_length=10,
        choices=LeaveReason.choices,
        blank=True,
    )
    target_specialty = models.ForeignKey(
        "referential.Specialty",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nouvelle spécialité"),
    )
    target_subdivision = models.ForeignKey(
        "referential.Subdivision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subdivision d'accueil"),
    )
    opinion = models.CharField(
        _("avis"), max_length=12, choices=Opinion.choices, blank=True
    )
    opinion_comment = models.TextField(_("commentaire de l'avis"), blank=True)
    opinion_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("avis de"),
    )
    decision_comment = models.TextField(_("motif de la décision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidée par"),
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("situation particulière")
        verbose_name_plural = _("situations particulières")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="residents_situation_end_after_start",
                violation_error_message=_("La fin précède le début."),
            )
        ]

    def clean(self):
        super().clean()
        check_order(self, ("start_date", "end_date"))

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.start_date:%d/%m/%Y} → {self.end_date:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("cockpit:situations_detail", args=[self.pk])


def situation_document_path(instance, filename: str) -> str:
    return f"situations/{instance.situation_id}/{filename}"


class SituationDocument(models.Model):
    situation = models.ForeignKey(
        SpecialSituation, on_delete=models.CASCADE, related_name="documents"
    )
    file = models.FileField(
        _("pièce justificative (PDF)"), upload_to=situation_document_path
    )
    name = models.CharField(_("nom"), max_length=200)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pièce justificative")
        verbose_name_plural = _("pièces justificatives")

    def __str__(self) -> str:
        return self.name


class DocumentKind(models.TextChoices):
    SEMESTERS = "semesters", _("Attestation de semestres validés")
    SENIOR_ON_CALL = "senior_on_call", _("Autorisation de gardes séniors")
    ENROLMENT = "enrolment", _("Certificat d'inscription")
    PLACEMENT = "placement", _("Certificat d'affectation")
    REPLACEMENT = "replacement", _("Relevé de stages pour la licence de remplacement")


class IssuedDocument(models.Model):
    """A generated PDF's register entry: its public code confirms it without the PDF."""

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("document"), max_length=16, choices=DocumentKind.choices)
    code = models.CharField(_("code de vérification"), max_length=16, unique=True)
    summary = models.CharField(_("objet"), max_length=300)
    sha256 = models.CharField(max_length=64)
    issued_at = models.DateTimeField(_("délivré le"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("délivré par"),
    )

    class Meta:
        verbose_name = _("document délivré")
        verbose_name_plural = _("documents délivrés")
        ordering = ["-issued_at"]
        # Issuing is not viewing: who may, on whom, is in residents/permissions.py.
        permissions = [("issue_document", _("Délivrer les documents officiels"))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.code}"


class MassOperation(models.Model):
    """A mass processing run, kept for its audit and its same-day undo."""

    class Kind(models.TextChoices):
        PHASE_CHANGE = "phase_change", _("Changement de phase")
        THESIS = "thesis", _("Soutenance de thèse")
        DIPLOMA = "diploma", _("Diplôme")

    kind = models.CharField(_("traitement"), max_length=16, choices=Kind.choices)
    parameters = models.JSONField(_("paramètres"), default=dict)
    undo = models.JSONField(default=dict)  # what to restore, by record
    count = models.PositiveIntegerField(_("internes"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("par"),
    )
    at = models.DateTimeField(_("le"), auto_now_add=True)
    undone_at = models.DateTimeField(_("annulé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("traitement de masse")
        verbose_name_plural = _("traitements de masse")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.count} internes ({timezone.localtime(self.at):%d/%m/%Y %H:%M})"


class InterChuQuota(models.Model):
    """How many residents of a subdivision may leave for an interCHU in a semester."""

    subdivision = models.ForeignKey(
        "referential.Subdivision",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("subdivision d'origine"),
    )
    semester = models.ForeignKey(
        "referential.Semester",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("semestre"),
    )
    places = models.PositiveSmallIntegerField(_("places"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quota d'interCHU")
        verbose_name_plural = _("quotas d'interCHU")
        constraints = [
            models.UniqueConstraint(
                fields=["subdivision", "semester"], name="residents_one_quota"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subdivision} — {self.semester} : {self.places}"


class StageType(models.TextChoices):
    """A stage as the Ordre des médecins reads it, derived from its site (never typed):
    see rules.stage_type."""

    HOSPITAL = "hospital", _("Hospitalier")
    AMBULATORY = "ambulatory", _("Ambulatoire")
    GENERAL_PRACTITIONER = "general_practitioner", _("Chez un médecin généraliste")
    OTHER = "other", _("Autre")


class ThresholdCondition(models.TextChoices):
    """The stages a threshold requires among the validated ones ("dont N …")."""

    GENERAL_PRACTITIONER = "general_practitioner", _("chez un médecin généraliste")
    AMBULATORY = "ambulatory", _("en ambulatoire")
    HOSPITAL = "hospital", _("en milieu hospitalier")
    SPECIALTY = "specialty", _("dans la spécialité")


class ReplacementThreshold(models.Model):
    """A threshold of the Ordre des médecins for the licence de remplacement: so many
    validated semesters, of which so many of a kind. A DES may have several; the
    relevé de stages says of each whether it is met."""

    specialty = models.ForeignKey(
        "referential.Specialty",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("DES"),
    )
    label = models.CharField(_("libellé"), max_length=200)
    semesters_required = models.PositiveSmallIntegerField(_("semestres validés requis"))
    of_which_count = models.PositiveSmallIntegerField(_("dont (nombre)"), default=0)
    of_which_kind = models.CharField(
        _("dont (type de stage)"),
        max_length=24,
        choices=ThresholdCondition.choices,
        blank=True,
    )
    is_demo = models.BooleanField(
        _("valeur de démonstration"),
        default=False,
        help_text=_("À confirmer auprès du Conseil de l'Ordre avant tout usage réel."),
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("seuil de la licence de remplacement")
        verbose_name_plural = _("seuils de la licence de remplacement")
        ordering = ["specialty__label", "label", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["specialty", "label"],
                name="residents_one_threshold_label",
                violation_error_message=_("Ce DES a déjà un seuil portant ce libellé."),
            ),
            models.CheckConstraint(
                condition=Q(of_which_count__lte=F("semesters_required")),
                name="residents_threshold_part_within_whole",
                violation_error_message=_(
                    "Le nombre de stages « dont » dépasse les semestres requis."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(of_which_count=0) & Q(of_which_kind=""))
                | (Q(of_which_count__gt=0) & ~Q(of_which_kind="")),
                name="residents_threshold_part_has_kind",
                violation_error_message=_(
                    "Un nombre de stages « dont » va avec leur type, et l'inverse."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.specialty.label} — {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("cockpit:seuils_remplacement_detail", args=[self.pk])


class LastAdmittedRank(models.Model):
    """The last rank admitted in a DES, in a subdivision, for a cohort: the registry
    enters it, the droit au remords is checked against it. Ranks compare only within
    one cohort and one kind of ranking (ECN rank, 2024 percentage, 2025 group rank)."""

    specialty = models.ForeignKey(
        "referential.Specialty",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("DES"),
    )
    subdivision = models.ForeignKey(
        "referential.Subdivision",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("subdivision"),
    )
    cohort = models.PositiveSmallIntegerField(
        _("promotion"), help_text=_("Année des épreuves nationales classantes.")
    )
    ranking_kind = models.CharField(
        _("type de classement"), max_length=16, choices=RankingKind.choices
    )
    last_rank = models.PositiveIntegerField(
        _("dernier rang admis"), null=True, blank=True
    )
    last_percentage = models.DecimalField(
        _("dernière position admise (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dernier rang admis")
        verbose_name_plural = _("derniers rangs admis")
        ordering = ["subdivision__name", "specialty__label", "-cohort", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["specialty", "subdivision", "cohort", "ranking_kind"],
                name="residents_one_last_rank",
                violation_error_message=_(
                    "Un dernier rang admis est déjà enregistré pour ce DES, cette "
                    "subdivision, cette promotion et ce type de classement."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(ranking_kind="percentage")
                    & Q(last_percentage__isnull=False)
                    & Q(last_rank__isnull=True)
                )
                | (
                    ~Q(ranking_kind="percentage")
                    & Q(last_rank__isnull=False)
                    & Q(last_percentage__isnull=True)
                ),
                name="residents_last_rank_matches_kind",
                violation_error_message=_(
                    "Indiquez une position en pourcentage pour la promotion 2024, un "
                    "rang sinon."
                ),
            ),
        ]

    @property
    def value_display(self) -> str:
        if self.ranking_kind == RankingKind.PERCENTAGE:
            return f"{self.last_percentage} %"
        return str(self.last_rank)

    def __str__(self) -> str:
        return (
            f"{self.specialty.label} — {self.subdivision.name} — promotion "
            f"{self.cohort} : {self.value_display}"
        )

    def get_absolute_url(self) -> str:
        return reverse("cockpit:derniers_rangs_admis_detail", args=[self.pk])
