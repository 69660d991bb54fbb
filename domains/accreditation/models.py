"""Accreditation campaigns (agréments): the campaign, its requests and dossiers (each
submitted version kept), opinions, attachments, the commission's proposals, the DG
ARS's decisions, every transition audited, and the campaign's mailings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Cast
from django.db.models.lookups import GreaterThanOrEqual
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from domains.cockpit.dates import check_order
from domains.cockpit.models import DeliveryRecord, MailingProgress
from domains.referential.models import AccreditationType


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("En préparation")
    PUBLISHED = "published", _("Publiée")
    CLOSED = "closed", _("Close")


class AccreditationCampaign(models.Model):
    """One region's yearly campaign."""

    name = models.CharField(_("nom"), max_length=200)
    region = models.ForeignKey(
        "referential.Region",
        on_delete=models.PROTECT,
        related_name="accreditation_campaigns",
        verbose_name=_("région"),
    )
    year = models.PositiveSmallIntegerField(_("année"))
    filing_opens = models.DateField(_("ouverture des dépôts"))
    filing_closes = models.DateTimeField(_("clôture des dépôts"))
    opinions_due = models.DateField(_("avis attendus pour le"))
    commission_date = models.DateField(_("date de la commission"))
    decisions_by = models.DateField(_("décisions au plus tard le"))
    effective_from = models.DateField(
        _("prise d'effet des agréments"),
        help_text=_("Début des agréments accordés (en général le 1er novembre)."),
    )
    specialties = models.ManyToManyField(
        "referential.Specialty",
        related_name="accreditation_campaigns",
        verbose_name=_("spécialités concernées"),
    )
    phases = models.ManyToManyField(
        "referential.Phase",
        related_name="accreditation_campaigns",
        verbose_name=_("phases concernées"),
    )
    form_version = models.CharField(
        _("version du formulaire de dossier"), max_length=20, default="2026-1"
    )
    coordinator_opinion_required = models.BooleanField(
        _("avis du coordonnateur requis"), default=True
    )
    representative_opinion_required = models.BooleanField(
        _("avis du représentant des internes requis"), default=True
    )
    status = models.CharField(
        _("état"),
        max_length=10,
        choices=CampaignStatus.choices,
        default=CampaignStatus.DRAFT,
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("créée par"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[specialties, phases])

    class Meta:
        verbose_name = _("campagne d'agréments")
        verbose_name_plural = _("campagnes d'agréments")
        ordering = ["-year", "region__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"],
                name="accreditation_one_campaign_per_region_year",
                violation_error_message=_(
                    "Cette région a déjà une campagne d'agréments cette année."
                ),
            ),
            # The calendar in order (dépôts, avis et visites, commission, décisions,
            # prise d'effet), so the public announcement never shows a phase ending
            # before it starts. The closing moment is compared by its day (UTC, in
            # the database; clean() uses the local day, never later).
            models.CheckConstraint(
                condition=Q(
                    GreaterThanOrEqual(
                        Cast("filing_closes", models.DateField()), F("filing_opens")
                    )
                ),
                name="accreditation_campaign_filing_in_order",
                violation_error_message=_(
                    "La clôture des dépôts précède leur ouverture."
                ),
            ),
            models.CheckConstraint(
                condition=Q(
                    GreaterThanOrEqual(
                        F("opinions_due"), Cast("filing_closes", models.DateField())
                    )
                ),
                name="accreditation_campaign_opinions_after_filing",
                violation_error_message=_(
                    "La date des avis attendus précède la clôture des dépôts."
                ),
            ),
            models.CheckConstraint(
                condition=Q(commission_date__gte=F("opinions_due"))
                & Q(decisions_by__gte=F("commission_date"))
                & Q(effective_from__gte=F("decisions_by")),
                name="accreditation_campaign_calendar_in_order",
                violation_error_message=_(
                    "Les dates se suivent : avis, commission, décisions, prise d'effet."
                ),
            ),
        ]

    def clean(self):
        super().clean()
        check_order(
            self,
            (
                "filing_opens",
                "filing_closes",
                _(
                    "La clôture des dépôts (%(end)s) précède leur ouverture "
                    "(%(start)s)."
                ),
            ),
            (
                "filing_closes",
                "opinions_due",
                _(
                    "Les avis attendus pour le %(end)s précèdent la clôture des "
                    "dépôts (%(start)s)."
                ),
            ),
            (
                "opinions_due",
                "commission_date",
                _(
                    "La commission (%(end)s) précède la date des avis attendus "
                    "(%(start)s)."
                ),
            ),
            (
                "commission_date",
                "decisions_by",
                _(
                    "La date limite des décisions (%(end)s) précède la commission "
                    "(%(start)s)."
                ),
            ),
            (
                "decisions_by",
                "effective_from",
                _(
                    "La prise d'effet des agréments (%(end)s) précède la date limite "
                    "des décisions (%(start)s)."
                ),
            ),
        )

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cockpit:campagnes_agrements_detail", args=[self.pk])


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Déposée")
    ANALYSIS = "analysis", _("En analyse (avis)")
    COMMISSION = "commission", _("Inscrite à la commission")
    PROPOSED = "proposed", _("Proposition de la commission")
    DECIDED = "decided", _("Décidée")
    WITHDRAWN = "withdrawn", _("Retirée")


class Outcome(models.TextChoices):
    """A commission's proposal or the DG ARS's decision."""

    GRANTED = "granted", _("Agrément 5 ans")
    PROVISIONAL = "provisional", _("Agrément provisoire 1 an")
    REFUSED = "refused", _("Refus")
    DEFERRED = "deferred", _("Différé")


class OpinionKind(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordonnateur de DES")
    REPRESENTATIVE = "representative", _("Représentant des internes")


class OpinionValue(models.TextChoices):
    FAVOURABLE = "favourable", _("Favorable")
    RESERVED = "reserved", _("Réservé")
    UNFAVOURABLE = "unfavourable", _("Défavorable")


# The dossier's sections, in the form's order (also its versions' content keys).
DOSSIER_SECTIONS: list[tuple[str, str]] = [
    ("site_activity", _("Le terrain et son activité")),
    ("teaching_project", _("Projet pédagogique")),
    ("supervision", _("Encadrement")),
    ("equipment", _("Équipements et moyens")),
    ("teaching_meetings", _("Réunions d'enseignement")),
    ("research", _("Recherche et publications")),
]


class AccreditationRequest(models.Model):
    """A training site's request (demande d'agrément) for a specialty and phases."""

    campaign = models.ForeignKey(
        AccreditationCampaign,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("campagne"),
    )
    training_site = models.ForeignKey(
        "referential.TrainingSite",
        on_delete=models.PROTECT,
        related_name="accreditation_requests",
        verbose_name=_("terrain de stage"),
    )
    specialty = models.ForeignKey(
        "referential.Specialty",
        on_delete=models.PROTECT,
        related_name="accreditation_requests",
        verbose_name=_("spécialité demandée"),
    )
    phases = models.ManyToManyField(
        "referential.Phase", related_name="+", verbose_name=_("phases demandées")
    )
    type = models.CharField(
        _("type d'agrément"),
        max_length=15,
        choices=AccreditationType.choices,
        default=AccreditationType.PRINCIPAL,
    )
    renewal_of = models.ForeignKey(
        "referential.Accreditation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewal_requests",
        verbose_name=_("renouvellement de"),
    )
    supervisor = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accreditation_requests",
        verbose_name=_("responsable (RTS)"),
    )
    supervisor_specialty = models.ForeignKey(
        "referential.Specialty",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("spécialité du responsable"),
    )
    max_residents = models.PositiveSmallIntegerField(
        _("nombre maximal d'internes"), null=True, blank=True
    )
    site_activity = models.TextField(_("le terrain et son activité"), blank=True)
    teaching_project = models.TextField(_("projet pédagogique"), blank=True)
    supervision = models.TextField(_("encadrement"), blank=True)
    equipment = models.TextField(_("équipements et moyens"), blank=True)
    teaching_meetings = models.TextField(_("réunions d'enseignement"), blank=True)
    research = models.TextField(_("recherche et publications"), blank=True)
    status = models.CharField(
        _("état"),
        max_length=12,
        choices=RequestStatus.choices,
        default=RequestStatus.DRAFT,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("déposée le"), null=True, blank=True)
    reopened_until = models.DateTimeField(_("rouverte jusqu'au"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("relancée le"), null=True, blank=True)
    proposal = models.CharField(
        _("proposition de la commission"),
        max_length=12,
        choices=Outcome.choices,
        blank=True,
    )
    proposal_reason = models.TextField(_("motif de la proposition"), blank=True)
    decision = models.CharField(
        _("décision du DG ARS"), max_length=12, choices=Outcome.choices, blank=True
    )
    decision_reason = models.TextField(_("motif de la décision"), blank=True)
    opinions_override = models.TextField(
        _("motif de décision sans les avis requis"), blank=True
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    accreditation = models.ForeignKey(
        "referential.Accreditation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agrément créé"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[phases])

    class Meta:
        verbose_name = _("demande d'agrément")
        verbose_name_plural = _("demandes d'agrément")
        ordering = ["training_site__name", "specialty__label", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "training_site", "specialty"],
                name="accreditation_one_request_per_site_specialty",
                violation_error_message=_(
                    "Ce terrain a déjà une demande pour cette spécialité dans la "
                    "campagne."
                ),
            ),
        ]
        indexes = [models.Index(fields=["campaign", "status"])]

    def __str__(self) -> str:
        return f"{self.training_site} — {self.specialty}"

    def get_absolute_url(self) -> str:
        return reverse("cockpit:demandes_agrement_detail", args=[self.pk])

    def dossier(self) -> dict[str, str]:
        return {key: getattr(self, key) for key, _label in DOSSIER_SECTIONS}


class DossierVersion(models.Model):
    """What was submitted, each time: the dossier as the commission will read it."""

    request = models.ForeignKey(
        AccreditationRequest, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    content = models.JSONField(_("contenu"))
    submitted_at = models.DateTimeField(_("déposée le"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("déposée par"),
    )

    class Meta:
        verbose_name = _("version du dossier")
        ordering = ["request", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "number"], name="accreditation_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request} — v{self.number}"


class AttachmentKind(models.TextChoices):
    DOSSIER = "dossier", _("Pièce du dossier")
    VISIT_REPORT = "visit_report", _("Rapport de visite")


def _attachment_path(instance, filename: str) -> str:
    return f"agrements/{instance.request.campaign_id}/{instance.request_id}/{filename}"


class Attachment(models.Model):
    request = models.ForeignKey(
        AccreditationRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("nature"), max_length=12, choices=AttachmentKind.choices)
    title = models.CharField(_("titre"), max_length=200)
    file = models.FileField(_("fichier PDF"), upload_to=_attachment_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("déposé par"),
    )
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("pièce jointe")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Opinion(models.Model):
    request = models.ForeignKey(
        AccreditationRequest, on_delete=models.CASCADE, related_name="opinions"
    )
    kind = models.CharField(_("avis de"), max_length=15, choices=OpinionKind.choices)
    value = models.CharField(_("avis"), max_length=12, choices=OpinionValue.choices)
    comment = models.TextField(_("commentaire"))
    author = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("auteur"),
    )
    given_at = models.DateTimeField(_("donné le"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("avis")
        verbose_name_plural = _("avis")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind"], name="accreditation_one_opinion_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.get_value_display()}"


class Transition(models.Model):
    """The audit of a request's life: who moved it, when, from what to what, why."""

    request = models.ForeignKey(
        AccreditationRequest, on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField(_("action"), max_length=20)
    source = models.CharField(
        _("de"), max_length=12, choices=RequestStatus.choices, blank=True
    )
    target = models.CharField(_("vers"), max_length=12, choices=RequestStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("par"),
    )
    at = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)
    reason = models.TextField(_("motif"), blank=True)

    class Meta:
        verbose_name = _("étape")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.source} → {self.target}"

    @property
    def action_label(self) -> str:
        from .workflow import ACTIONS

        if self.action == "create":
            return str(_("Création"))
        rule = ACTIONS.get(self.action)
        return str(rule.label) if rule else self.action


class CampaignMailing(MailingProgress):
    """The campaign's announcement to every RTS and DAM of the region."""

    campaign = models.ForeignKey(
        AccreditationCampaign, on_delete=models.CASCADE, related_name="mailings"
    )
    subject = models.CharField(_("objet"), max_length=200)
    body = models.TextField(_("message"))

    class Meta:
        verbose_name = _("envoi de campagne")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject


class MailingDelivery(DeliveryRecord):
    """One row per recipient: who, as what, sent when, or why not."""

    mailing = models.ForeignKey(
        CampaignMailing, on_delete=models.CASCADE, related_name="deliveries"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="+"
    )
    roles = models.CharField(_("en tant que"), max_length=100)

    class Meta:
        verbose_name = _("remise")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "email"], name="accreditation_delivery_unique"
            )
        ]
