"""The semester cycle's records. Semester activity: one line per resident and coming
semester of a subdivision (an interCHU entrant has one in her host subdivision too)."""

from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import activity as a
from .opening_rule import Rule


class ActivityKind(models.TextChoices):
    CHOOSES = a.CHOOSES, _("Choisit")
    LEAVE = a.LEAVE, _("Disponibilité")
    SUPERNUMERARY_VALIDATING = a.SUPERNUMERARY_VALIDATING, _("Surnombre validant")
    SUPERNUMERARY_NON_VALIDATING = (
        a.SUPERNUMERARY_NON_VALIDATING,
        _("Surnombre non validant"),
    )
    INTER_CHU_OUT = a.INTER_CHU_OUT, _("InterCHU sortant")
    INTER_CHU_IN = a.INTER_CHU_IN, _("InterCHU entrant")
    RESEARCH_YEAR = a.RESEARCH_YEAR, _("Année recherche")
    OUT_OF_CHOICE = a.OUT_OF_CHOICE, _("Hors choix")
    JUNIOR_DOCTOR = a.JUNIOR_DOCTOR, _("Docteur junior")
    END_OF_TRAINING = a.END_OF_TRAINING, _("Fin de cursus")
    SPECIALTY_CHANGE = a.SPECIALTY_CHANGE, _("Remords (nouveau DES)")


class ActivitySource(models.TextChoices):
    PREFILL = "prefill", _("Pré-remplie par SIIMOP")
    RESIDENT = "resident", _("Déclarée par l'interne")
    REGISTRY = "registry", _("Saisie par la scolarité")
    IMPORT = "import", _("Import")
    ARS = "ars", _("Décidée par l'ARS sur la liste d'appel")


class ActivityStatus(models.TextChoices):
    TO_CONFIRM = "to_confirm", _("À confirmer")
    DECLARED = "declared", _("Déclarée")
    VALIDATED = "validated", _("Validée")


class ActivityLine(models.Model):
    semester = models.ForeignKey(
        "referential.Semester",
        on_delete=models.PROTECT,
        related_name="activity_lines",
        verbose_name=_("semestre"),
    )
    # Where the line is kept: the resident's subdivision, or the host's (entrant).
    subdivision = models.ForeignKey(
        "referential.Subdivision",
        on_delete=models.PROTECT,
        related_name="activity_lines",
        verbose_name=_("subdivision"),
    )
    resident = models.ForeignKey(
        "residents.Resident",
        on_delete=models.CASCADE,
        related_name="activity_lines",
        verbose_name=_("interne"),
    )
    specialty = models.ForeignKey(
        "referential.Specialty",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("DES"),
    )
    phase = models.ForeignKey(
        "referential.Phase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("phase"),
    )
    kind = models.CharField(
        _("situation au semestre"), max_length=20, choices=ActivityKind.choices
    )
    reason = models.CharField(_("motif"), max_length=255, blank=True)
    source = models.CharField(
        _("origine"), max_length=10, choices=ActivitySource.choices
    )
    status = models.CharField(
        _("état"),
        max_length=10,
        choices=ActivityStatus.choices,
        default=ActivityStatus.TO_CONFIRM,
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validée par"),
    )
    validated_at = models.DateTimeField(_("validée le"), null=True, blank=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ligne d'activité semestrielle")
        verbose_name_plural = _("activité semestrielle")
        ordering = ["semester_id", "subdivision_id", "resident_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["semester", "subdivision", "resident"],
                name="choices_activity_line_unique",
                violation_error_message=_(
                    "Cette interne a déjà une ligne pour ce semestre dans cette "
                    "subdivision."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="validated")
                | models.Q(validated_at__isnull=False),
                name="choices_activity_validated_dated",
            ),
        ]
        indexes = [models.Index(fields=["semester", "subdivision", "kind"])]

    def __str__(self) -> str:
        return f"{self.resident.person.full_name} — {self.semester}"

    def get_absolute_url(self) -> str:
        return reverse("cockpit:activite_semestrielle_detail", args=[self.pk])


class CallListStatus(models.TextChoices):
    DRAFT = "draft", _("En préparation")
    PUBLISHED = "published", _("Publiée")
    FROZEN = "frozen", _("Arrêtée pour le choix")


class ChoiceGroup(models.Model):
    """DES of a subdivision whose residents choose together, in one call list per
    phase, as the ARS decides (e.g. every medical specialty of a subdivision). A DES
    is in one group of a subdivision at most; a DES in no group chooses on its own."""

    subdivision = models.ForeignKey(
        "referential.Subdivision",
        on_delete=models.PROTECT,
        verbose_name=_("subdivision"),
    )
    label = models.CharField(_("nom du groupe"), max_length=120)
    specialties = models.ManyToManyField(
        "referential.Specialty",
        through="ChoiceGroupMember",
        related_name="+",
        verbose_name=_("DES"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("groupe de choix")
        verbose_name_plural = _("groupes de choix")
        ordering = ["subdivision__name", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdivision", "label"],
                name="choices_group_label_unique",
                violation_error_message=_(
                    "Un groupe de choix de cette subdivision porte déjà ce nom."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.subdivision})"

    def get_absolute_url(self) -> str:
        return reverse("cockpit:groupes_de_choix_detail", args=[self.pk])


class ChoiceGroupMember(models.Model):
    """One DES of a choice group. The subdivision is repeated so that the database
    refuses a DES in two groups of the same subdivision."""

    group = models.ForeignKey(
        ChoiceGroup, on_delete=models.CASCADE, related_name="members"
    )
    subdivision = models.ForeignKey(
        "referential.Subdivision", on_delete=models.PROTECT, related_name="+"
    )
    specialty = models.ForeignKey(
        "referential.Specialty",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("DES"),
    )

    class Meta:
        verbose_name = _("DES du groupe de choix")
        verbose_name_plural = _("DES des groupes de choix")
        constraints = [
            models.UniqueConstraint(
                fields=["subdivision", "specialty"],
                name="choices_group_member_once",
                violation_error_message=_(
                    "Ce DES choisit déjà dans un autre groupe de la subdivision."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.group.label} : {self.specialty}"


class CallList(models.Model):
    """The order in which the residents of a phase are called in a subdivision: those
    of one DES, or of a choice group's DES together."""

    semester = models.ForeignKey(
        "referential.Semester", on_delete=models.PROTECT, verbose_name=_("semestre")
    )
    subdivision = models.ForeignKey(
        "referential.Subdivision",
        on_delete=models.PROTECT,
        verbose_name=_("subdivision"),
    )
    # One DES, or a choice group (then no DES).
    specialty = models.ForeignKey(
        "referential.Specialty",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("DES"),
    )
    group = models.ForeignKey(
        ChoiceGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="call_lists",
        verbose_name=_("groupe de choix"),
    )
    phase = models.ForeignKey(
        "referential.Phase", on_delete=models.PROTECT, verbose_name=_("phase")
    )
    status = models.CharField(
        _("état"),
        max_length=10,
        choices=CallListStatus.choices,
        default=CallListStatus.DRAFT,
    )
    seed = models.PositiveIntegerField(_("graine du tirage au sort"), default=0)
    computed_at = models.DateTimeField(_("calculée le"), null=True, blank=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    # The last day a resident may contest her place, set at publication.
    contests_until = models.DateField(
        _("contestations jusqu'au"), null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("liste d'appel")
        verbose_name_plural = _("listes d'appel")
        ordering = [
            "semester_id",
            "subdivision_id",
            "specialty__label",
            "group__label",
            "phase_id",
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["semester", "subdivision", "specialty", "phase"],
                name="choices_call_list_unique",
            ),
            models.UniqueConstraint(
                fields=["semester", "subdivision", "group", "phase"],
                name="choices_call_list_group_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(specialty__isnull=True, group__isnull=False)
                | models.Q(specialty__isnull=False, group__isnull=True),
                name="choices_call_list_des_or_group",
                violation_error_message=_(
                    "Une liste d'appel est celle d'un DES ou d'un groupe de choix."
                ),
            ),
        ]

    @property
    def contests_open(self) -> bool:
        """Published, and its contest period not over (its last day included)."""
        return self.status == CallListStatus.PUBLISHED and (
            self.contests_until is None or timezone.localdate() <= self.contests_until
        )

    @property
    def state_label(self) -> str:
        """Its state as its readers need it: a published list says whether its
        residents may still contest, and until when."""
        if self.status != CallListStatus.PUBLISHED:
            return self.get_status_display()
        if not self.contests_open:
            return gettext("Publiée — contestations closes le %(day)s") % {
                "day": date_format(self.contests_until, "j F Y")
            }
        if self.contests_until:
            return gettext("Publiée — contestations jusqu'au %(day)s inclus") % {
                "day": date_format(self.contests_until, "j F Y")
            }
        return gettext("Publiée — contestations ouvertes")

    @property
    def who(self) -> str:
        """The DES, or the choice group, whose residents the list calls."""
        return self.group.label if self.group_id else self.specialty.label

    def __str__(self) -> str:
        return f"{self.who} — {self.phase.label} ({self.subdivision})"

    def get_absolute_url(self) -> str:
        return reverse("cockpit:listes_d_appel_detail", args=[self.pk])


class CallListEntry(models.Model):
    call_list = models.ForeignKey(
        CallList, on_delete=models.CASCADE, related_name="entries"
    )
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveIntegerField(_("rang d'appel"))
    seniority = models.PositiveSmallIntegerField(_("ancienneté"))
    rank = models.FloatField(_("classement comparable"), null=True, blank=True)
    why = models.CharField(_("pourquoi ce rang"), max_length=400)
    # The ARS's adjustment, kept across recomputations.
    adjusted_position = models.PositiveIntegerField(
        _("rang fixé par l'ARS"), null=True, blank=True
    )
    adjustment_reason = models.CharField(_("raison"), max_length=255, blank=True)

    class Meta:
        ordering = ["call_list_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["call_list", "resident"], name="choices_call_entry_unique"
            ),
            models.UniqueConstraint(
                fields=["call_list", "position"], name="choices_call_entry_position"
            ),
            models.CheckConstraint(
                condition=models.Q(adjusted_position__isnull=True)
                | ~models.Q(adjustment_reason=""),
                name="choices_call_adjustment_reason",
                violation_error_message=_("Un rang fixé à la main dit pourquoi."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.resident}"

    @property
    def explanation(self) -> str:
        """Why she is at this place, in French (`why` keeps the ordering's own
        terse words, those of `python -m domains.choices call-list`)."""
        parts = [
            ngettext(
                "%(n)d semestre validé dans la phase",
                "%(n)d semestres validés dans la phase",
                self.seniority,
            )
            % {"n": self.seniority}
            if self.seniority
            else gettext("aucun semestre encore validé dans la phase")
        ]
        if self.rank is None:
            parts.append(gettext("pas de classement national connu"))
        else:
            parts.append(
                gettext(
                    "classement national à %(place)s %% de la promotion "
                    "(0 %% : en tête)"
                )
                % {"place": number_format(self.rank * 100, 1)}
            )
        if "départage" in self.why:
            parts.append(gettext("ex æquo départagé par le tirage au sort enregistré"))
        text = ", ".join(parts)
        if self.adjusted_position:
            text += gettext(" ; rang %(n)d fixé par l'ARS : %(reason)s") % {
                "n": self.adjusted_position,
                "reason": self.adjustment_reason,
            }
        return text[0].upper() + text[1:]


class CallListContestStatus(models.TextChoices):
    OPEN = "open", _("En attente de réponse")
    ACCEPTED = "accepted", _("Acceptée (liste corrigée)")
    REJECTED = "rejected", _("Rejetée")


class CallListContest(models.Model):
    """A resident contests her place while the published list is open to contests;
    the ARS answers, with its reasons, before freezing the list."""

    call_list = models.ForeignKey(
        CallList, on_delete=models.CASCADE, related_name="contests"
    )
    resident = models.ForeignKey(
        "residents.Resident",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("interne"),
    )
    text = models.TextField(_("motif de la contestation"))
    status = models.CharField(
        _("état"),
        max_length=10,
        choices=CallListContestStatus.choices,
        default=CallListContestStatus.OPEN,
    )
    answer = models.TextField(_("réponse de l'ARS"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("répondu par"),
    )
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    filed_at = models.DateTimeField(_("déposée le"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contestation de liste d'appel")
        verbose_name_plural = _("contestations de listes d'appel")
        ordering = ["call_list_id", "filed_at", "pk"]
        constraints = [
            # One pending contest per resident and list: she adds to it, not a pile.
            models.UniqueConstraint(
                fields=["call_list", "resident"],
                condition=models.Q(status="open"),
                name="choices_one_open_contest",
                violation_error_message=_(
                    "Vous avez déjà une contestation en attente sur cette liste."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(status="open") | ~models.Q(answer=""),
                name="choices_contest_answer_reasoned",
                violation_error_message=_("Une réponse dit ses raisons."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call_list} — {self.resident}"


class OpeningStatus(models.TextChoices):
    DRAFT = "draft", _("En préparation (avis des coordonnateurs)")
    SIGNED = "signed", _("Arrêté signé")
    PUBLISHED = "published", _("Publiée")


class PostOpening(models.Model):
    """A subdivision's post opening for a semester: prepared by the ARS, reviewed by the
    coordinators and the needs commission, then fixed by the DG ARS's decree (arrêté
    d'ouverture des postes), whose signature freezes the posts, and published."""

    semester = models.ForeignKey(
        "referential.Semester", on_delete=models.PROTECT, verbose_name=_("semestre")
    )
    subdivision = models.ForeignKey(
        "referential.Subdivision",
        on_delete=models.PROTECT,
        verbose_name=_("subdivision"),
    )
    status = models.CharField(
        _("état"),
        max_length=10,
        choices=OpeningStatus.choices,
        default=OpeningStatus.DRAFT,
    )
    commission_date = models.DateField(
        _("date de la commission des besoins"), null=True, blank=True
    )
    minutes = models.TextField(_("compte rendu de la commission"), blank=True)
    decree_reference = models.CharField(
        _("numéro de l'arrêté"), max_length=100, blank=True
    )
    decree = models.FileField(_("arrêté signé (PDF)"), upload_to="arretes/", blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signé par"),
    )
    signed_at = models.DateTimeField(_("signé le"), null=True, blank=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ouverture des postes")
        verbose_name_plural = _("ouvertures des postes")
        ordering = ["-semester__start_date", "subdivision__name"]
        permissions = [
            ("sign_postopening", _("Signer et publier l'arrêté d'ouverture des postes"))
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["semester", "subdivision"], name="choices_opening_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | (models.Q(signed_at__isnull=False) & ~models.Q(decree_reference="")),
                name="choices_opening_signed_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subdivision} — {self.semester}"

    def get_absolute_url(self) -> str:
        return reverse("cockpit:ouvertures_detail", args=[self.pk])


class Opinion(models.TextChoices):
    FAVOURABLE = "favourable", _("Favorable")
    RESERVED = "reserved", _("Favorable avec réserves")
    UNFAVOURABLE = "unfavourable", _("Défavorable")


class OpeningOpinion(models.Model):
    """A coordinator's opinion on the draft opening of her DES."""

    opening = models.ForeignKey(
        PostOpening, on_delete=models.CASCADE, related_name="opinions"
    )
    specialty = models.ForeignKey(
        "referential.Specialty", on_delete=models.PROTECT, verbose_name=_("DES")
    )
    opinion = models.CharField(_("avis"), max_length=12, choices=Opinion.choices)
    comment = models.TextField(_("commentaire"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("donné par"),
    )
    at = models.DateTimeField(_("donné le"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("avis sur l'ouverture")
        verbose_name_plural = _("avis sur l'ouverture")
        ordering = ["opening_id", "specialty__label"]
        constraints = [
            models.UniqueConstraint(
                fields=["opening", "specialty"], name="choices_opinion_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(opinion="favourable") | ~models.Q(comment=""),
                name="choices_opinion_reasoned",
                violation_error_message=_(
                    "Un avis réservé ou défavorable dit pourquoi."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.specialty} — {self.get_opinion_display()}"


class DeclarationDeadline(models.Model):
    """The day by which a subdivision's residents confirm or declare their situation
    for the semester, set by its faculty registry; reminders go before it."""

    semester = models.ForeignKey(
        "referential.Semester", on_delete=models.PROTECT, verbose_name=_("semestre")
    )
    subdivision = models.ForeignKey(
        "referential.Subdivision",
        on_delete=models.PROTECT,
        verbose_name=_("subdivision"),
    )
    deadline = models.DateField(_("date limite de déclaration"))
    last_reminder_on = models.DateField(_("dernier rappel le"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("date limite de déclaration")
        verbose_name_plural = _("dates limites de déclaration")
        constraints = [
            models.UniqueConstraint(
                fields=["semester", "subdivision"], name="choices_deadline_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subdivision} — {self.semester} : {self.deadline:%d/%m/%Y}"


class HostingStatus(models.TextChoices):
    PENDING = "pending", _("En attente de l'accord de la subdivision d'accueil")
    ACCEPTED = "accepted", _("Accueil accepté")
    REFUSED = "refused", _("Accueil refusé")


class InterChuHosting(models.Model):
    """The host subdivision's agreement to an interCHU its origin granted: the host
    coordinator's opinion, then the host ARS's decision. Only an accepted one makes
    the resident *sortante* at home and *entrante* in the host's semester activity."""

    situation = models.OneToOneField(
        "residents.SpecialSituation",
        on_delete=models.CASCADE,
        related_name="hosting",
        verbose_name=_("demande d'interCHU"),
    )
    host_subdivision = models.ForeignKey(
        "referential.Subdivision",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("subdivision d'accueil"),
    )
    specialty = models.ForeignKey(
        "referential.Specialty",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("DES"),
    )
    status = models.CharField(
        _("accord"),
        max_length=10,
        choices=HostingStatus.choices,
        default=HostingStatus.PENDING,
    )
    coordinator_opinion = models.CharField(
        _("avis du coordonnateur d'accueil"),
        max_length=12,
        choices=Opinion.choices,
        blank=True,
    )
    coordinator_comment = models.TextField(
        _("commentaire du coordonnateur"), blank=True
    )
    reason = models.TextField(_("motif de la décision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidé par"),
    )
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("accueil en interCHU")
        verbose_name_plural = _("accueils en interCHU")
        ordering = ["status", "-situation__start_date", "pk"]
        permissions = [
            (
                "opine_interchuhosting",
                _("Donner l'avis du DES sur un accueil en interCHU"),
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="refused") | ~models.Q(reason=""),
                name="choices_hosting_refusal_reasoned",
                violation_error_message=_("Un refus d'accueil dit pourquoi."),
            )
        ]

    def __str__(self) -> str:
        return _("%(resident)s — accueil à %(host)s") % {
            "resident": self.situation.resident.person.full_name,
            "host": self.host_subdivision,
        }

    def get_absolute_url(self) -> str:
        return reverse("cockpit:accueils_interchu_detail", args=[self.pk])


class OpeningRule(models.Model):
    """A region's opening rule (the 107 % rule and its variants): for one DES, or with
    no DES for every DES of the region that has no rule of its own. Without any, the
    national default applies (107 %)."""

    region = models.ForeignKey(
        "referential.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("région"),
    )
    specialty = models.ForeignKey(
        "referential.Specialty",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("DES"),
        help_text=_(
            "Vide : tous les DES de la région qui n'ont pas leur propre règle."
        ),
    )
    ratio = models.DecimalField(
        _("ratio"),
        max_digits=5,
        decimal_places=3,
        default=Decimal("1.07"),
        help_text=_("Postes ouverts ≥ ratio × internes qui choisissent (ex. 1,07)."),
    )
    threshold = models.PositiveIntegerField(
        _("seuil"),
        null=True,
        blank=True,
        help_text=_(
            "Au-delà de ce nombre d'internes qui choisissent, la formule "
            "« effectif + supplément » remplace le ratio."
        ),
    )
    extra = models.PositiveIntegerField(
        _("supplément"),
        null=True,
        blank=True,
        help_text=_("Postes ajoutés à l'effectif au-delà du seuil (ex. 30)."),
    )
    comment = models.TextField(_("commentaire"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("règle d'ouverture")
        verbose_name_plural = _("règles d'ouverture")
        ordering = [
            "region__name",
            models.F("specialty__label").asc(nulls_first=True),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "specialty"],
                name="choices_openingrule_unique",
                violation_error_message=_(
                    "Cette région a déjà une règle d'ouverture pour ce DES."
                ),
            ),
            models.UniqueConstraint(
                fields=["region"],
                condition=models.Q(specialty__isnull=True),
                name="choices_openingrule_region_default_unique",
                violation_error_message=_(
                    "Cette région a déjà une règle d'ouverture pour tous ses DES."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(ratio__gte=1),
                name="choices_openingrule_ratio_min",
                violation_error_message=_("Le ratio est au moins de 1 (100 %)."),
            ),
            models.CheckConstraint(
                condition=models.Q(threshold__isnull=True, extra__isnull=True)
                | models.Q(threshold__isnull=False, extra__isnull=False),
                name="choices_openingrule_threshold_extra",
                violation_error_message=_(
                    "Le seuil et le supplément vont ensemble : renseignez les deux "
                    "ou aucun."
                ),
            ),
        ]

    def __str__(self) -> str:
        return _("%(region)s — %(des)s") % {
            "region": self.region,
            "des": self.specialty or _("tous les DES"),
        }

    def as_rule(self) -> Rule:
        return Rule(
            ratio=Fraction(self.ratio),
            threshold=self.threshold,
            extra=self.extra,
        )

    @property
    def formula(self) -> str:
        """As the ARS writes it: « 107 % », « 107 %, effectif + 30 au-delà de 200 »."""
        percent = f"{self.as_rule().percent:.1f}".rstrip("0").rstrip(".")
        said = _("%(percent)s %%") % {"percent": percent.replace(".", ",")}
        if self.threshold is not None and self.extra is not None:
            said = _("%(said)s, effectif + %(extra)d au-delà de %(threshold)d") % {
                "said": said,
                "extra": self.extra,
                "threshold": self.threshold,
            }
        return said

    def get_absolute_url(self) -> str:
        return reverse("cockpit:regles_ouverture_detail", args=[self.pk])


class SessionStatus(models.TextChoices):
    """A choice session's states (transitions in session_services.TRANSITIONS)."""

    WISHES = "wishes", _("Vœux ouverts")
    WISHES_CLOSED = "wishes_closed", _("Vœux clos, amphi à venir")


class ChoiceSession(models.Model):
    """The choice session (amphi de choix) of a call list: its residents rank the posts
    opened for their DES and phase, see the simulation of the session recomputed on
    each change, then take the posts one at a time in call-list order."""

    call_list = models.OneToOneField(
        CallList,
        on_delete=models.PROTECT,
        related_name="session",
        verbose_name=_("liste d'appel"),
    )
    status = models.CharField(
        _("état"),
        max_length=16,
        choices=SessionStatus.choices,
        default=SessionStatus.WISHES,
    )
    wishes_until = models.DateTimeField(_("vœux modifiables jusqu'au"))
    # The last simulation: resident id → post id (both as text), with the residents
    # left without a post; recomputed in the transaction of every wish change.
    simulation = models.JSONField(_("simulation"), default=dict, blank=True)
    simulated_at = models.DateTimeField(_("simulée le"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ouverte par"),
    )
    opened_at = models.DateTimeField(_("ouverte le"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["simulation", "simulated_at"])

    class Meta:
        verbose_name = _("amphi de choix")
        verbose_name_plural = _("amphis de choix")
        ordering = ["-opened_at", "pk"]

    def __str__(self) -> str:
        return gettext("Amphi — %(list)s") % {"list": self.call_list}

    def get_absolute_url(self) -> str:
        return reverse("cockpit:amphis_detail", args=[self.pk])

    @property
    def wishes_open(self) -> bool:
        return (
            self.status == SessionStatus.WISHES and timezone.now() <= self.wishes_until
        )


class WishList(models.Model):
    """A resident's ranked wishes for a choice session: the ids of the posts she
    would take, preferred first (a couplé is its first half's id)."""

    session = models.ForeignKey(
        ChoiceSession, on_delete=models.CASCADE, related_name="wish_lists"
    )
    resident = models.ForeignKey(
        "residents.Resident",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("interne"),
    )
    posts = models.JSONField(_("vœux classés"), default=list, blank=True)
    updated_at = models.DateTimeField(_("modifiés le"), auto_now=True)
    # Her last forecast, when she asked for it: [post id, chance it is still free
    # at her turn, chance she gets it] per wish (forecast.py).
    forecast = models.JSONField(_("estimation"), default=list, blank=True)
    forecast_at = models.DateTimeField(_("estimée le"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["forecast", "forecast_at"])

    class Meta:
        verbose_name = _("vœux d'une interne")
        verbose_name_plural = _("vœux des internes")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "resident"], name="choices_wishlist_unique"
            )
        ]

    def __str__(self) -> str:
        return gettext("Vœux de %(resident)s") % {"resident": self.resident}


class PreChoice(models.Model):
    """Before posts are opened: the accredited sites a resident would like next
    semester, preferred first (accreditation ids), so that the ARS opens the margin
    above the needs where residents want it."""

    semester = models.ForeignKey(
        "referential.Semester", on_delete=models.PROTECT, verbose_name=_("semestre")
    )
    resident = models.ForeignKey(
        "residents.Resident",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("interne"),
    )
    accreditations = models.JSONField(_("terrains souhaités"), default=list)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pré-choix")
        verbose_name_plural = _("pré-choix")
        constraints = [
            models.UniqueConstraint(
                fields=["semester", "resident"], name="choices_prechoice_unique"
            )
        ]

    def __str__(self) -> str:
        return gettext("Pré-choix de %(resident)s") % {"resident": self.resident}
