import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from domains.cockpit.forms import (
    CockpitForm,
    CockpitModelForm,
    DateInput,
    DateTimeInput,
)
from domains.referential.models import Specialty, SpecialtyKind
from domains.referential.selectors import perimeter_subdivisions

from .models import ActivityKind, ActivityLine, ChoiceGroup, Opinion
from .services import activity_change, choice_group_save


class ActivityLineForm(CockpitModelForm):
    """The faculty registry corrects a line: the situation and its reason."""

    class Meta:
        model = ActivityLine
        fields = ["kind", "reason"]
        help_texts = {"reason": _("Obligatoire : pourquoi cette situation.")}

    def save_with(self, user):
        return activity_change(
            by=user,
            line=self.instance,
            kind=self.cleaned_data["kind"],
            reason=self.cleaned_data["reason"],
        )


class DeclarationForm(CockpitForm):
    """The resident's own declaration for next semester."""

    kind = forms.ChoiceField(label=_("Ma situation au semestre"), choices=ActivityKind)
    reason = forms.CharField(
        label=_("Précisions"),
        max_length=255,
        help_text=_("Obligatoire : par exemple « disponibilité accordée le … »."),
    )


class AdjustmentForm(CockpitForm):
    """The ARS places a resident by hand on a draft list, with its reason."""

    resident = forms.TypedChoiceField(label=_("Interne"), coerce=int)
    position = forms.IntegerField(label=_("Rang d'appel"), min_value=1)
    reason = forms.CharField(label=_("Raison"), max_length=255)

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].choices = [
            (e.resident_id, f"{e.position}. {e.resident.person.full_name}")
            for e in entries
        ]


class OutOfChoiceForm(CockpitForm):
    """The ARS takes a resident off a draft list: she is placed hors choix."""

    resident = forms.TypedChoiceField(label=_("Interne"), coerce=int)
    reason = forms.CharField(
        label=_("Raison"),
        max_length=200,
        help_text=_("Par exemple : « placée par l'ARS après entretien »."),
    )

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].choices = [
            (e.resident_id, f"{e.position}. {e.resident.person.full_name}")
            for e in entries
        ]


class AddResidentForm(CockpitForm):
    """The ARS adds a resident the list does not hold (an entrant, a return)."""

    email = forms.EmailField(label=_("Adresse électronique de l'interne"))
    reason = forms.CharField(
        label=_("Raison"),
        max_length=200,
        help_text=_("Par exemple : « interCHU accordé par l'ARS d'origine le … »."),
    )

    def __init__(self, *args, entries=(), **kwargs):  # the list's places: unused
        super().__init__(*args, **kwargs)


class ContestForm(CockpitForm):
    """A resident contests her place on a published list."""

    text = forms.CharField(
        label=_("Ce que vous contestez, et pourquoi"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Dites ce que vous contestez et pourquoi.")},
        help_text=_(
            "Par exemple : « mon semestre d'hiver 2025 est validé, mon ancienneté est "
            "de 3 et non de 2 »."
        ),
    )


class ContestAnswerForm(CockpitForm):
    accepted = forms.TypedChoiceField(
        label=_("Décision"),
        choices=[("1", _("Acceptée : la liste sera corrigée")), ("0", _("Rejetée"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Réponse, avec ses raisons"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class PublishForm(CockpitForm):
    """The ARS publishes a call list and says until when residents may contest."""

    contests_until = forms.DateField(
        label=_("Contestations ouvertes jusqu'au (inclus)"),
        widget=DateInput(),
        help_text=_("Une semaine à compter d'aujourd'hui si vous ne dites rien."),
        required=False,
    )


class ReopenForm(CockpitForm):
    reason = forms.CharField(label=_("Pourquoi reprendre la liste"), max_length=255)


class SignForm(CockpitForm):
    """The DG ARS signs the opening decree."""

    decree_reference = forms.CharField(label=_("Numéro de l'arrêté"), max_length=100)
    commission_date = forms.DateField(
        label=_("Date de la commission des besoins"), widget=DateInput()
    )
    minutes = forms.CharField(
        label=_("Compte rendu de la commission"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Ses observations et arbitrages ; ils figurent au compte rendu."),
    )


class OpinionForm(CockpitForm):
    """A coordinator's opinion on the draft opening of one of her DES."""

    specialty = forms.TypedChoiceField(label=_("DES"), coerce=int)
    opinion = forms.ChoiceField(
        label=_("Avis"), choices=Opinion.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Commentaire"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Obligatoire pour un avis réservé ou défavorable."),
    )

    def __init__(self, *args, specialties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialty"].choices = [(s.pk, s.label) for s in specialties]


class DeadlineForm(CockpitForm):
    deadline = forms.DateField(
        label=_("Date limite de déclaration des internes"), widget=DateInput()
    )


class HostingOpinionForm(CockpitForm):
    opinion = forms.ChoiceField(
        label=_("Avis du DES"), choices=Opinion.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Commentaire"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Obligatoire pour un avis réservé ou défavorable."),
    )


class HostingDecisionForm(CockpitForm):
    reason = forms.CharField(
        label=_("Motif"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Obligatoire pour un refus : il est transmis à l'interne."),
    )


def _reading_key(text: str) -> str:
    """Sort key of a French name: "Génétique" before "Gynécologie"."""
    return unicodedata.normalize("NFD", text).encode("ascii", "ignore").decode().lower()


class ChoiceGroupForm(CockpitModelForm):
    """The ARS names DES of a subdivision whose residents choose together."""

    specialties = forms.ModelMultipleChoiceField(
        queryset=Specialty.objects.filter(
            kind__in=[SpecialtyKind.DES, SpecialtyKind.CO_DES]
        ).order_by("label"),
        label=_("DES qui choisissent ensemble"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Au moins deux. Leurs internes sont appelés dans une même liste par "
            "phase au prochain calcul des listes d'appel."
        ),
    )

    class Meta:
        model = ChoiceGroup
        fields = ["label", "specialties"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["specialties"]
        # In reading order (accents set aside), each DES with its discipline when
        # its name is shared (biologie médicale: medicine or pharmacy).
        specialties = sorted(field.queryset, key=lambda s: _reading_key(s.label))
        shared = {
            label
            for label in (s.label for s in specialties)
            if sum(1 for s in specialties if s.label == label) > 1
        }
        field.choices = [
            (
                s.pk,
                f"{s.label} ({s.get_discipline_display().lower()})"
                if s.label in shared
                else s.label,
            )
            for s in specialties
        ]

    def save_with(self, user):
        return choice_group_save(
            by=user,
            group=self.instance,
            subdivision=self.instance.subdivision,
            label=self.cleaned_data["label"],
            specialties=self.cleaned_data["specialties"],
        )


class ChoiceGroupCreateForm(ChoiceGroupForm):
    class Meta(ChoiceGroupForm.Meta):
        fields = ["subdivision", "label", "specialties"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subdivision"].queryset = perimeter_subdivisions(self.request.user)

    def save_with(self, user):
        return choice_group_save(
            by=user,
            subdivision=self.cleaned_data["subdivision"],
            label=self.cleaned_data["label"],
            specialties=self.cleaned_data["specialties"],
        )


class WishesUntilForm(CockpitForm):
    """The ARS opens a call list's amphi, or moves the end of its wishes."""

    wishes_until = forms.DateTimeField(
        label=_("Vœux modifiables jusqu'au"),
        widget=DateTimeInput(),
        help_text=_("Chaque interne de la liste est prévenu par e-mail."),
    )


class WishAddForm(CockpitForm):
    """A resident adds one of the session's posts at the end of her wishes."""

    post = forms.ChoiceField(label=_("Poste à ajouter à mes vœux"))

    def __init__(self, *args, posts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].choices = [("", _("Choisissez un poste"))] + [
            (p.id, p.label + (" — " + str(_("réservé CESP")) if p.cesp else ""))
            for p in posts
        ]


def _site_label(site) -> str:
    establishment = site.establishment.name
    return site.name if establishment in site.name else f"{site.name} ({establishment})"


class PreChoiceAddForm(CockpitForm):
    """A resident adds an accredited site at the end of her pre-choice."""

    accreditation = forms.ChoiceField(label=_("Terrain à ajouter à mon pré-choix"))

    def __init__(self, *args, sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accreditation"].choices = [
            ("", _("Choisissez un terrain agréé"))
        ] + [(a.pk, _site_label(a.training_site)) for a in sites]
