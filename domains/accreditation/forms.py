"""Forms of the accreditation campaigns; each write goes through a service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from domains.cockpit.forms import (
    CockpitForm,
    CockpitModelForm,
    DateInput,
    DateTimeInput,
)
from domains.referential.models import AccreditationType, Phase
from domains.referential.selectors import perimeter_regions

from . import services
from .models import (
    DOSSIER_SECTIONS,
    AccreditationCampaign,
    AccreditationRequest,
    OpinionValue,
    Outcome,
)
from .selectors import accreditable_specialties


class CampaignCreateForm(CockpitModelForm):
    class Meta:
        model = AccreditationCampaign
        fields = [
            "region",
            "year",
            "name",
            "filing_opens",
            "filing_closes",
            "opinions_due",
            "commission_date",
            "decisions_by",
            "effective_from",
            "specialties",
            "phases",
            "form_version",
            "coordinator_opinion_required",
            "representative_opinion_required",
        ]
        widgets = {
            "filing_opens": DateInput,
            "filing_closes": DateTimeInput,
            "opinions_due": DateInput,
            "commission_date": DateInput,
            "decisions_by": DateInput,
            "effective_from": DateInput,
            "specialties": forms.SelectMultiple(attrs={"size": 12}),
            "phases": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = perimeter_regions(self.request.user)
        self.fields["specialties"].queryset = accreditable_specialties()
        self.fields["name"].required = False
        self.fields["name"].help_text = _(
            "Par défaut : « Agréments <année> — <région> »."
        )

    def save_with(self, user):
        data = self.cleaned_data
        return services.campaign_create(
            by=user,
            **{k: v for k, v in data.items() if k not in ("specialties", "phases")},
            specialties=list(data["specialties"]),
            phases=list(data["phases"]),
        )


class PublishForm(CockpitForm):
    subject = forms.CharField(label=_("Objet de l'e-mail"), max_length=200)
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 10})
    )


class RequestCreateForm(CockpitForm):
    campaign = forms.ModelChoiceField(
        label=_("Campagne"), queryset=AccreditationCampaign.objects.none()
    )
    training_site = forms.ModelChoiceField(label=_("Terrain de stage"), queryset=None)
    specialty = forms.ModelChoiceField(label=_("Spécialité demandée"), queryset=None)
    type = forms.ChoiceField(
        label=_("Type d'agrément"),
        choices=AccreditationType.choices,
        help_text=_(
            "Principal : la spécialité du responsable. Complémentaire : une autre."
        ),
    )
    phases = forms.ModelMultipleChoiceField(
        label=_("Phases demandées"),
        queryset=Phase.objects.order_by("order"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, sites=(), campaigns=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        self.fields["training_site"].queryset = sites
        self.fields["specialty"].queryset = accreditable_specialties()

    def save_with(self, user):
        data = self.cleaned_data
        return services.request_create(
            by=user,
            campaign=data["campaign"],
            training_site=data["training_site"],
            specialty=data["specialty"],
            phases=list(data["phases"]),
            type=data["type"],
        )


class DossierForm(CockpitModelForm):
    class Meta:
        model = AccreditationRequest
        fields = [
            *(key for key, _label in DOSSIER_SECTIONS),
            "max_residents",
            "supervisor_specialty",
            "type",
            "phases",
        ]
        widgets = {
            **{
                key: forms.Textarea(attrs={"rows": 5})
                for key, _label in DOSSIER_SECTIONS
            },
            "phases": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, _label in DOSSIER_SECTIONS:
            self.fields[key].required = False
        self.fields["supervisor_specialty"].queryset = accreditable_specialties()
        self.fields["phases"].queryset = self.instance.campaign.phases.order_by("order")

    def save_with(self, user):
        data = dict(self.cleaned_data)
        phases = list(data.pop("phases"))
        return services.dossier_save(
            by=user, accreditation_request=self.instance, phases=phases, **data
        )


class AttachmentForm(CockpitForm):
    title = forms.CharField(label=_("Titre de la pièce"), max_length=200)
    file = forms.FileField(label=_("Fichier PDF (5 Mo au plus)"))


class ReopenForm(CockpitForm):
    until = forms.DateTimeField(label=_("Nouvelle échéance"), widget=DateTimeInput)
    reason = forms.CharField(label=_("Motif"), widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(CockpitForm):
    reason = forms.CharField(
        label=_("Motif"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class OpinionForm(CockpitForm):
    value = forms.ChoiceField(
        label=_("Avis"), choices=OpinionValue.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Avis écrit"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("L'avis est écrit : ajoutez un commentaire.")},
    )


class ProposalForm(CockpitForm):
    outcome = forms.ChoiceField(label=_("Proposition"), choices=Outcome.choices)
    reason = forms.CharField(
        label=_("Motifs"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(CockpitForm):
    outcome = forms.ChoiceField(
        label=_("Décision"),
        choices=Outcome.choices,
        help_text=_("Par défaut, la proposition de la commission."),
    )
    reason = forms.CharField(
        label=_("Motifs (obligatoires si la décision diffère)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    override = forms.CharField(
        label=_("Décider sans les avis requis : motif"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
