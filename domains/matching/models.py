"""Docteur Junior matching: campaigns, rounds, offered posts, candidacies, wishes,
rankings, computation runs and published results."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from domains.cockpit.dates import check_order

from .algorithm import MAX_HEARTS


class MatchingCampaign(models.Model):
    """One region and one group of specialties, for the semester the juniors start."""

    name = models.CharField(_("nom"), max_length=200)
    region = models.ForeignKey(
        "referential.Region",
        on_delete=models.PROTECT,
        related_name="matching_campaigns",
        verbose_name=_("région"),
    )
    semester = models.ForeignKey(
        "referential.Semester",
        on_delete=models.PROTECT,
        related_name="matching_campaigns",
        verbose_name=_("semestre de prise de poste"),
    )
    specialties = models.ManyToManyField(
        "referential.Specialty",
        related_name="matching_campaigns",
        verbose_name=_("spécialités"),
    )
    local_priority = models.BooleanField(
        _("priorité locale"),
        default=True,
        help_text=_(
            "Sur un terrain de plusieurs places, la première va à un interne de la "
            "subdivision du terrain, les autres pour moitié à la subdivision et pour "
            "moitié au reste de la région."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("créée par"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[specialties])

    class Meta:
        verbose_name = _("campagne d'appariement")
        verbose_name_plural = _("campagnes d'appariement")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cockpit:campagnes_appariement_detail", args=[self.pk])


class Audience(models.TextChoices):
    """Whom the reminders of a round reach."""

    CANDIDATES = "candidats", _("candidats")
    SUPERVISORS = "responsables", _("responsables")


class RoundStatus(models.TextChoices):
    PREPARATION = "preparation", _("En préparation (vœux et classements)")
    COMPUTED = "computed", _("Calculé, non publié")
    PUBLISHED = "published", _("Résultats publiés")


# The allowed transitions of a round, in one place (services check them).
# A round by hearing (manual) goes straight from preparation to publication.
ROUND_TRANSITIONS: dict[str, set[str]] = {
    RoundStatus.PREPARATION: {RoundStatus.COMPUTED, RoundStatus.PUBLISHED},
    RoundStatus.COMPUTED: {RoundStatus.COMPUTED, RoundStatus.PUBLISHED},
    RoundStatus.PUBLISHED: set(),
}


class MatchingRound(models.Model):
    campaign = models.ForeignKey(
        MatchingCampaign,
        on_delete=models.CASCADE,
        related_name="rounds",
        verbose_name=_("campagne"),
    )
    number = models.PositiveSmallIntegerField(_("tour"))
    manual = models.BooleanField(
        _("tour par audition"),
        default=False,
        help_text=_(
            "Les affectations sont décidées par l'ARS avec les coordonnateurs et la "
            "faculté, après audition, hors algorithme."
        ),
    )
    wishes_open = models.DateTimeField(_("ouverture des vœux"))
    wishes_close = models.DateTimeField(_("clôture des vœux"))
    ranking_open = models.DateTimeField(_("ouverture des classements"))
    ranking_close = models.DateTimeField(_("clôture des classements"))
    publication_at = models.DateTimeField(_("publication prévue"))
    status = models.CharField(
        _("état"),
        max_length=12,
        choices=RoundStatus.choices,
        default=RoundStatus.PREPARATION,
    )
    published_run = models.ForeignKey(
        "MatchingRun",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("calcul publié"),
    )
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tour d'appariement")
        verbose_name_plural = _("tours d'appariement")
        ordering = ["campaign_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "number"],
                name="matching_round_unique",
                violation_error_message=_("Ce tour existe déjà pour cette campagne."),
            ),
            models.CheckConstraint(
                condition=Q(wishes_close__gt=models.F("wishes_open"))
                & Q(ranking_open__gte=models.F("wishes_close"))
                & Q(ranking_close__gt=models.F("ranking_open"))
                & Q(publication_at__gte=models.F("ranking_close")),
                name="matching_round_calendar_in_order",
                violation_error_message=_(
                    "Le calendrier doit se suivre : vœux, puis classements, puis "
                    "publication."
                ),
            ),
        ]

    def clean(self):
        super().clean()
        check_order(
            self,
            (
                "wishes_open",
                "wishes_close",
                _(
                    "La clôture des vœux (%(end)s) doit suivre leur ouverture "
                    "(%(start)s)."
                ),
                True,
            ),
            (
                "wishes_close",
                "ranking_open",
                _(
                    "L'ouverture des classements (%(end)s) précède la clôture des "
                    "vœux (%(start)s)."
                ),
            ),
            (
                "ranking_open",
                "ranking_close",
                _(
                    "La clôture des classements (%(end)s) doit suivre leur ouverture "
                    "(%(start)s)."
                ),
                True,
            ),
            (
                "ranking_close",
                "publication_at",
                _(
                    "La publication (%(end)s) précède la clôture des classements "
                    "(%(start)s)."
                ),
            ),
        )

    def __str__(self) -> str:
        return f"{self.campaign} — tour {self.number}"

    def get_absolute_url(self) -> str:
        return self.campaign.get_absolute_url() + f"#tour-{self.number}"

    def wishes_are_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == RoundStatus.PREPARATION and (
            self.wishes_open <= now < self.wishes_close
        )

    def ranking_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == RoundStatus.PREPARATION and (
            self.ranking_open <= now < self.ranking_close
        )

    def stage(self, now=None) -> str:
        """Where the calendar stands, in words."""
        now = now or timezone.now()
        if self.status != RoundStatus.PREPARATION:
            return self.get_status_display()
        if now < self.wishes_open:
            return _("Vœux à venir")
        if now < self.wishes_close:
            return _("Vœux ouverts")
        if now < self.ranking_open:
            return _("Vœux clos, classements à venir")
        if now < self.ranking_close:
            return _("Classements ouverts")
        return _("Classements clos : prêt pour le calcul")


class RoundPost(models.Model):
    """A post offered in a round, with the seats still open in it."""

    round = models.ForeignKey(
        MatchingRound,
        on_delete=models.CASCADE,
        related_name="offers",
        verbose_name=_("tour"),
    )
    post = models.ForeignKey(
        "referential.Post",
        on_delete=models.PROTECT,
        related_name="matching_offers",
        verbose_name=_("poste"),
    )
    seats = models.PositiveSmallIntegerField(_("places"))
    ranking_submitted_at = models.DateTimeField(
        _("classement enregistré le"), null=True, blank=True
    )
    ranking_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("classement par"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("poste proposé")
        verbose_name_plural = _("postes proposés")
        ordering = ["round_id", "post__training_site__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "post"], name="matching_roundpost_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.post.training_site)


def candidacy_upload(instance, filename: str) -> str:
    return f"appariement/{instance.round_id}/{instance.resident_id}/{filename}"


class Candidacy(models.Model):
    """A resident concerned by a round: her file and, once submitted, her wishes."""

    round = models.ForeignKey(
        MatchingRound,
        on_delete=models.CASCADE,
        related_name="candidacies",
        verbose_name=_("tour"),
    )
    resident = models.ForeignKey(
        "residents.Resident",
        on_delete=models.PROTECT,
        related_name="matching_candidacies",
        verbose_name=_("interne"),
    )
    cv = models.FileField(_("CV"), upload_to=candidacy_upload, blank=True)
    cover_letter = models.FileField(
        _("lettre de motivation"), upload_to=candidacy_upload, blank=True
    )
    training_contract = models.FileField(
        _("contrat de formation"), upload_to=candidacy_upload, blank=True
    )
    submitted_at = models.DateTimeField(_("vœux validés le"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        ordering = ["round_id", "resident__person__last_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "resident"], name="matching_candidacy_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resident} — {self.round}"


FILE_FIELDS = {
    "cv": _("CV"),
    "lettre": _("lettre de motivation"),
    "contrat": _("contrat de formation"),
}
FILE_ATTRIBUTE = {"cv": "cv", "lettre": "cover_letter", "contrat": "training_contract"}


class Wish(models.Model):
    candidacy = models.ForeignKey(
        Candidacy, on_delete=models.CASCADE, related_name="wishes"
    )
    offer = models.ForeignKey(
        RoundPost, on_delete=models.CASCADE, related_name="wishes"
    )
    hearts = models.PositiveSmallIntegerField(
        _("cœurs"), validators=[MaxValueValidator(MAX_HEARTS)]
    )

    class Meta:
        verbose_name = _("vœu")
        verbose_name_plural = _("vœux")
        constraints = [
            models.UniqueConstraint(
                fields=["candidacy", "offer"], name="matching_wish_unique"
            ),
            models.CheckConstraint(
                condition=Q(hearts__lte=MAX_HEARTS), name="matching_wish_hearts_max"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer} : {self.hearts} cœur(s)"


class Rank(models.Model):
    """The supervisor's rank of an applicant: 1 is best, equal is a tie, 0 refused."""

    offer = models.ForeignKey(RoundPost, on_delete=models.CASCADE, related_name="ranks")
    candidacy = models.ForeignKey(
        Candidacy, on_delete=models.CASCADE, related_name="ranks"
    )
    rank = models.PositiveIntegerField(_("rang"))

    class Meta:
        verbose_name = _("rang")
        verbose_name_plural = _("rangs")
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "candidacy"], name="matching_rank_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.offer} : rang {self.rank}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminé")
    FAILED = "failed", _("Échec")


class MatchingRun(models.Model):
    """One computation: its frozen input, the algorithm and seed, and its output, so
    that it can be replayed bit for bit and audited."""

    round = models.ForeignKey(
        MatchingRound, on_delete=models.CASCADE, related_name="runs"
    )
    status = models.CharField(
        _("état"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("avancement (%)"), default=0)
    exact = models.BooleanField(_("mode exact"), default=False)
    seed = models.PositiveIntegerField(_("graine du départage"))
    instance = models.JSONField(_("entrée figée"))
    input_hash = models.CharField(_("empreinte de l'entrée (SHA-256)"), max_length=64)
    algorithm = models.CharField(_("algorithme"), max_length=40, blank=True)
    output = models.JSONField(_("résultat"), null=True, blank=True)
    output_hash = models.CharField(
        _("empreinte du résultat"), max_length=64, blank=True
    )
    matched = models.PositiveIntegerField(_("affectés"), null=True, blank=True)
    unassigned = models.PositiveIntegerField(_("non affectés"), null=True, blank=True)
    optimal = models.BooleanField(_("maximum prouvé"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("durée (ms)"), null=True, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    replay_of = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replays",
        verbose_name=_("rejeu de"),
    )
    identical = models.BooleanField(_("identique à l'original"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("lancé par"),
    )
    created_at = models.DateTimeField(_("lancé le"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("calcul d'appariement")
        verbose_name_plural = _("calculs d'appariement")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Calcul n° {self.pk} — {self.round}"


class MatchResult(models.Model):
    """A published outcome: the post a candidate got, or none."""

    round = models.ForeignKey(
        MatchingRound, on_delete=models.CASCADE, related_name="results"
    )
    candidacy = models.OneToOneField(
        Candidacy, on_delete=models.CASCADE, related_name="result"
    )
    offer = models.ForeignKey(
        RoundPost,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="results",
        verbose_name=_("poste obtenu"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("affectation décidée par"),
    )
    note = models.CharField(_("motif (tour par audition)"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("résultat")
        verbose_name_plural = _("résultats")

    def __str__(self) -> str:
        return f"{self.candidacy} : {self.offer or 'sans poste'}"
