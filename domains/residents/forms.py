from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from domains.cockpit.forms import CockpitForm, CockpitModelForm, DateInput
from domains.referential.models import Specialty, SpecialtyKind, Subdivision
from domains.referential.selectors import perimeter_subdivisions

from .models import (
    JuryDecision,
    LastAdmittedRank,
    LeaveReason,
    Opinion,
    Placement,
    RankingKind,
    ReplacementThreshold,
    SituationKind,
    Validation,
)
from .services import (
    THRESHOLD_FIELDS,
    last_admitted_rank_save,
    placements_validate,
    replacement_threshold_save,
)

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024


class PlacementValidationForm(CockpitModelForm):
    validation = forms.ChoiceField(
        label=_("Validation"),
        choices=[
            (Validation.VALIDATED, _("Validé")),
            (Validation.NOT_VALIDATED, _("Non validé")),
        ],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Placement
        fields = ["validation", "validation_reasons", "absence_days"]
        widgets = {"validation_reasons": forms.Textarea(attrs={"rows": 3})}

    def save_with(self, user):
        placements_validate(
            decisions=[
                {
                    "placement": self.instance,
                    "validated": self.cleaned_data["validation"]
                    == Validation.VALIDATED,
                    "reasons": self.cleaned_data["validation_reasons"],
                    "absence_days": self.cleaned_data["absence_days"],
                }
            ],
            by=user,
        )
        return self.instance


class RefusalForm(CockpitForm):
    reasons = forms.CharField(
        label=_("Motifs de la non-validation (communiqués à l'interne)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PhaseChangeForm(CockpitForm):
    jury_date = forms.DateField(label=_("Date du jury"), widget=DateInput)
    decision = forms.ChoiceField(label=_("Décision"), choices=JuryDecision.choices)


class DayForm(CockpitForm):
    day = forms.DateField(label=_("Date"), widget=DateInput)


REQUESTABLE = [
    SituationKind.LEAVE,
    SituationKind.SPECIALTY_CHANGE,
    SituationKind.INTER_CHU,
    SituationKind.SUPERNUMERARY_VALIDATING,
    SituationKind.SUPERNUMERARY_NON_VALIDATING,
]


class SituationRequestForm(CockpitForm):
    """A resident's online request; each kind's rules are checked by the service."""

    kind = forms.ChoiceField(
        label=_("Demande"),
        choices=[(k.value, k.label) for k in REQUESTABLE],
    )
    start_date = forms.DateField(label=_("Début"), widget=DateInput)
    end_date = forms.DateField(label=_("Fin"), widget=DateInput)
    leave_reason = forms.ChoiceField(
        label=_("Motif de la disponibilité"),
        choices=[("", "—"), *LeaveReason.choices],
        required=False,
    )
    target_specialty = forms.ModelChoiceField(
        label=_("Nouvelle spécialité (droit au remords)"),
        queryset=Specialty.objects.filter(
            kind__in=[SpecialtyKind.DES, SpecialtyKind.CO_DES], is_open=True
        ),
        required=False,
    )
    target_subdivision = forms.ModelChoiceField(
        label=_("Subdivision d'accueil (interCHU)"),
        queryset=Subdivision.objects.all(),
        required=False,
    )
    motive = forms.CharField(
        label=_("Explications"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    document = forms.FileField(
        label=_("Pièce justificative (PDF, 5 Mo au plus)"), required=False
    )

    def __init__(self, *args, current_specialty=None, **kwargs):
        super().__init__(*args, **kwargs)
        if current_specialty is not None:
            # Droit au remords: the other DES of her discipline, by name.
            self.fields["target_specialty"].queryset = (
                self.fields["target_specialty"]
                .queryset.filter(discipline=current_specialty.discipline)
                .exclude(pk=current_specialty.pk)
                .order_by("label")
            )

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload is None:
            return None
        if not upload.name.lower().endswith(".pdf") or upload.read(5) != b"%PDF-":
            raise ValidationError(_("La pièce justificative doit être un fichier PDF."))
        upload.seek(0)
        if upload.size > MAX_DOCUMENT_BYTES:
            raise ValidationError(_("La pièce justificative dépasse 5 Mo."))
        return upload


class SituationRecordForm(SituationRequestForm):
    """The faculty or the ARS records any situation for a resident (research year,
    out of choice, maternity or sick leave, or a request received on paper)."""

    kind = forms.ChoiceField(label=_("Situation"), choices=SituationKind.choices)


class OpinionForm(CockpitForm):
    opinion = forms.ChoiceField(label=_("Avis"), choices=Opinion.choices)
    comment = forms.CharField(
        label=_("Commentaire"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class DecisionForm(CockpitForm):
    approve = forms.TypedChoiceField(
        label=_("Décision"),
        choices=[("1", _("Accorder")), ("0", _("Refuser"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Motif (obligatoire en cas de refus, transmis à l'interne)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


RANK_FIELDS = [
    "subdivision",
    "specialty",
    "cohort",
    "ranking_kind",
    "last_rank",
    "last_percentage",
]


class LastAdmittedRankForm(CockpitModelForm):
    """The registry's last rank admitted in a DES of its subdivision for a cohort."""

    class Meta:
        model = LastAdmittedRank
        fields = RANK_FIELDS
        help_texts = {
            "last_rank": _(
                "Rang ECN (jusqu'en 2023) ou rang dans le groupe (2025 et après)."
            ),
            "last_percentage": _("Pour la promotion 2024 : position en pourcentage."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user if self.request else None
        self.fields["subdivision"].queryset = perimeter_subdivisions(user)
        self.fields["specialty"].queryset = Specialty.objects.filter(
            kind__in=[SpecialtyKind.DES, SpecialtyKind.CO_DES]
        )

    def clean(self):
        data = super().clean()
        # Only the value of the cohort's kind of ranking is kept (the service says
        # which one is missing).
        kind = data.get("ranking_kind")
        if kind == RankingKind.PERCENTAGE:
            data["last_rank"] = None
            if data.get("last_percentage") is None and "last_percentage" in data:
                self.add_error(
                    "last_percentage",
                    _(
                        "Indiquez la dernière position admise en pourcentage : c'est "
                        "le classement de cette promotion."
                    ),
                )
        elif kind:
            data["last_percentage"] = None
            if data.get("last_rank") is None and "last_rank" in data:
                self.add_error("last_rank", _("Indiquez le dernier rang admis."))
        return data

    def save_with(self, user):
        return last_admitted_rank_save(
            record=self.instance if self.instance.pk else None,
            **{name: self.cleaned_data[name] for name in RANK_FIELDS},
            by=user,
        )


class ReplacementThresholdForm(CockpitModelForm):
    """A threshold of the Ordre for the licence de remplacement (UNESS)."""

    class Meta:
        model = ReplacementThreshold
        fields = list(THRESHOLD_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialty"].queryset = Specialty.objects.filter(
            kind__in=[SpecialtyKind.DES, SpecialtyKind.CO_DES]
        )

    def clean(self):
        data = super().clean()
        if not data.get("of_which_count"):
            data["of_which_kind"] = ""
        return data

    def save_with(self, user):
        return replacement_threshold_save(
            record=self.instance if self.instance.pk else None,
            **{name: self.cleaned_data[name] for name in THRESHOLD_FIELDS},
            by=user,
        )
