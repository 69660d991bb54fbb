from django import forms
from django.utils.translation import gettext_lazy as _

from domains.cockpit.forms import CockpitForm, CockpitModelForm, DateInput
from domains.people.models import Person
from domains.people.roles import SITE_ROLES, Role
from domains.people.selectors import person_for_email

from . import services
from .models import (
    Accreditation,
    Establishment,
    EstablishmentKind,
    Phase,
    Post,
    Semester,
    Specialty,
    SpecialtyKind,
    TrainingSite,
)
from .selectors import (
    perimeter_regions,
    perimeter_subdivisions,
    visible_establishments,
    visible_training_sites,
)
from .validators import compact

ESTABLISHMENT_FIELDS = [
    "name",
    "kind",
    "finess",
    "siret",
    "parent",
    "address",
    "postal_code",
    "city",
]


class EstablishmentForm(CockpitModelForm):
    # People paste identifiers with spaces or dots: accepted, then compacted.
    finess = forms.CharField(
        label=_("FINESS"),
        required=False,
        max_length=20,
        help_text=_("9 caractères, clé de contrôle comprise (ex. 750712184)."),
    )
    siret = forms.CharField(
        label=_("SIRET"),
        required=False,
        max_length=24,
        help_text=_("14 chiffres (SIREN + NIC)."),
    )

    class Meta:
        model = Establishment
        fields = ESTABLISHMENT_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = visible_establishments(
            self.request.user
        ).filter(kind=EstablishmentKind.LEGAL_ENTITY)

    def clean_finess(self):
        return compact(self.cleaned_data["finess"])

    def clean_siret(self):
        return compact(self.cleaned_data["siret"])

    def save_with(self, user):
        data = {f: self.cleaned_data[f] for f in ESTABLISHMENT_FIELDS}
        return services.establishment_update(
            establishment=self.instance, by=user, **data
        )


class EstablishmentCreateForm(EstablishmentForm):
    class Meta(EstablishmentForm.Meta):
        fields = [*ESTABLISHMENT_FIELDS, "region"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = perimeter_regions(self.request.user)

    def save_with(self, user):
        data = {f: self.cleaned_data[f] for f in self.Meta.fields}
        return services.establishment_create(by=user, **data)


class EstablishmentMergeForm(CockpitForm):
    duplicate = forms.ModelChoiceField(
        queryset=Establishment.objects.none(),
        label=_("Doublon à fusionner dans cet établissement"),
        help_text=_(
            "Ses terrains de stage, ses sites et son historique seront repris ; "
            "il sera ensuite supprimé."
        ),
    )

    def __init__(self, *args, kept: Establishment, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept = kept
        self.fields["duplicate"].queryset = (
            visible_establishments(self.request.user)
            .filter(region=kept.region)
            .exclude(pk=kept.pk)
        )


class TrainingSiteForm(CockpitModelForm):
    class Meta:
        model = TrainingSite
        fields = ["name", "department", "kind", "address", "description", "is_active"]

    def save_with(self, user):
        return services.training_site_update(
            training_site=self.instance, by=user, **self.cleaned_data
        )


class TrainingSiteCreateForm(CockpitModelForm):
    class Meta:
        model = TrainingSite
        fields = [
            "establishment",
            "subdivision",
            "name",
            "department",
            "kind",
            "address",
            "description",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user
        self.fields["establishment"].queryset = visible_establishments(user)
        self.fields["subdivision"].queryset = perimeter_subdivisions(user)

    def save_with(self, user):
        return services.training_site_create(by=user, **self.cleaned_data)


class ContactForm(CockpitForm):
    email = forms.EmailField(label=_("Adresse e-mail"))
    phone = forms.CharField(label=_("Téléphone"), required=False, max_length=30)


class SiteFunctionForm(CockpitForm):
    email = forms.EmailField(
        label=_("Adresse e-mail de la personne"),
        help_text=_("La personne doit déjà avoir un compte SIIMOP."),
    )
    role = forms.ChoiceField(
        label=_("Fonction"), choices=[(r, Role(r).label) for r in SITE_ROLES]
    )
    start_date = forms.DateField(label=_("Date de début"), widget=DateInput())

    def clean_email(self):
        person = person_for_email(self.cleaned_data["email"])
        if person is None:
            raise forms.ValidationError(
                _("Aucune personne n'a l'adresse %(email)s dans SIIMOP."),
                params={"email": self.cleaned_data["email"]},
            )
        self.person: Person = person
        return self.cleaned_data["email"]


ACCREDITATION_FIELDS = [
    "specialty",
    "phases",
    "type",
    "state",
    "start_date",
    "end_date",
    "decision_reference",
    "max_residents",
]


class AccreditationForm(CockpitModelForm):
    class Meta:
        model = Accreditation
        fields = ACCREDITATION_FIELDS
        widgets = {
            "phases": forms.CheckboxSelectMultiple,
            "start_date": DateInput(),
            "end_date": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialty"].queryset = Specialty.objects.exclude(
            kind=SpecialtyKind.OPTION
        )
        self.fields["phases"].queryset = Phase.objects.all()

    def save_with(self, user):
        data = dict(self.cleaned_data)
        return services.accreditation_update(
            accreditation=self.instance, by=user, **data
        )


class AccreditationCreateForm(AccreditationForm):
    class Meta(AccreditationForm.Meta):
        fields = ["training_site", *ACCREDITATION_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["training_site"].queryset = visible_training_sites(
            self.request.user
        )

    def save_with(self, user):
        return services.accreditation_create(by=user, **self.cleaned_data)


class PostForm(CockpitModelForm):
    class Meta:
        model = Post
        fields = ["seats", "shared_specialties", "cesp_reserved"]
        widgets = {"shared_specialties": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_specialties"].queryset = Specialty.objects.exclude(
            kind=SpecialtyKind.OPTION
        )
        self.fields["shared_specialties"].required = False

    def save_with(self, user):
        return services.post_update(
            post=self.instance,
            seats=self.cleaned_data["seats"],
            shared_specialties=self.cleaned_data["shared_specialties"],
            coupled_with=self.instance.coupled_with,
            cesp_reserved=self.cleaned_data["cesp_reserved"],
            by=user,
        )


class PostCreateForm(CockpitModelForm):
    class Meta:
        model = Post
        fields = [
            "semester",
            "training_site",
            "specialty",
            "phase",
            "seats",
            "shared_specialties",
            "cesp_reserved",
        ]
        widgets = {"shared_specialties": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["training_site"].queryset = visible_training_sites(
            self.request.user
        ).filter(is_active=True)
        self.fields["specialty"].queryset = Specialty.objects.exclude(
            kind=SpecialtyKind.OPTION
        )
        self.fields["shared_specialties"].queryset = Specialty.objects.exclude(
            kind=SpecialtyKind.OPTION
        )
        self.fields["shared_specialties"].required = False
        self.fields["semester"].queryset = Semester.objects.all()

    def _post_clean(self):
        # The unique slot and the accreditation rule are the service's to check and word.
        pass

    def save_with(self, user):
        return services.post_open(by=user, **self.cleaned_data)
