"""Forms of the matching domain; each one's write goes through a service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from domains.cockpit.forms import CockpitForm, CockpitModelForm, DateTimeInput
from domains.referential.models import Semester, Specialty, SpecialtyKind
from domains.referential.selectors import perimeter_regions

from . import services
from .models import FILE_FIELDS, Audience, MatchingCampaign


class CampaignCreateForm(CockpitModelForm):
    class Meta:
        model = MatchingCampaign
        fields = ["name", "region", "semester", "specialties", "local_priority"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = perimeter_regions(self.request.user)
        self.fields["semester"].queryset = Semester.objects.order_by("-start_date")[:6]
        self.fields["specialties"].queryset = Specialty.objects.filter(
            kind__in=[SpecialtyKind.DES, SpecialtyKind.CO_DES]
        )

    def save_with(self, user):
        data = self.cleaned_data
        return services.campaign_create(
            by=user,
            name=data["name"],
            region=data["region"],
            semester=data["semester"],
            specialties=list(data["specialties"]),
            local_priority=data["local_priority"],
        )


class RoundForm(CockpitForm):
    wishes_open = forms.DateTimeField(
        label=_("Ouverture des vœux"), widget=DateTimeInput
    )
    wishes_close = forms.DateTimeField(
        label=_("Clôture des vœux"), widget=DateTimeInput
    )
    ranking_open = forms.DateTimeField(
        label=_("Ouverture des classements"), widget=DateTimeInput
    )
    ranking_close = forms.DateTimeField(
        label=_("Clôture des classements"), widget=DateTimeInput
    )
    publication_at = forms.DateTimeField(
        label=_("Publication prévue"), widget=DateTimeInput
    )


class AudienceForm(CockpitForm):
    audience = forms.ChoiceField(choices=Audience.choices)


class ManualRoundForm(RoundForm):
    manual = forms.BooleanField(
        label=_("Tour par audition (affectations décidées par l'ARS, sans calcul)"),
        required=False,
    )


class HearingForm(CockpitForm):
    """A decision of a round by hearing: the candidate's post, or none."""

    candidacy = forms.IntegerField(widget=forms.HiddenInput)
    offer = forms.IntegerField(required=False, label=_("Poste"))
    note = forms.CharField(required=False, max_length=500, label=_("Motif"))


class ComputeForm(CockpitForm):
    exact = forms.BooleanField(
        label=_("Mode exact (maximum prouvé, jusqu'à ~1 500 internes)"), required=False
    )


class FileForm(CockpitForm):
    kind = forms.ChoiceField(choices=list(FILE_FIELDS.items()), label=_("Pièce"))
    file = forms.FileField(label=_("Fichier PDF (5 Mo au plus)"))


class WishesForm(CockpitForm):
    """One 0–5 hearts field per offered post."""

    def __init__(self, *args, offers, current: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(n), "♥" * n if n else _("jamais")) for n in range(6)]
        self.offers = offers
        for offer in offers:
            self.fields[f"o{offer.pk}"] = forms.TypedChoiceField(
                label=str(offer.post.training_site),
                choices=choices,
                coerce=int,
                required=False,  # a post left out is "never"
                empty_value=0,
                initial=str(current.get(offer.pk, 0)),
            )

    def hearts(self) -> dict[int, int]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}

    def rows(self):
        return [(offer, self[f"o{offer.pk}"]) for offer in self.offers]


class RankingForm(CockpitForm):
    """One rank per applicant: 1 is best, equal numbers are ties, 0 refuses."""

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        for candidacy in candidates:
            self.fields[f"c{candidacy.pk}"] = forms.IntegerField(
                label=candidacy.resident.person.full_name,
                min_value=0,
                required=False,
                initial=candidacy.current_rank,
            )

    def ranks(self) -> dict[int, int]:
        return {
            int(name[1:]): value
            for name, value in self.cleaned_data.items()
            if value is not None
        }

    def rows(self):
        return [(c, self[f"c{c.pk}"]) for c in self.candidates]
