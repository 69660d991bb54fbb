import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from domains.cockpit.filters import CockpitFilterSet, yes_no_filter

from .models import (
    Accreditation,
    AccreditationState,
    DataQuality,
    Establishment,
    EstablishmentKind,
    Phase,
    Post,
    Region,
    Semester,
    Specialty,
    SpecialtyKind,
    Subdivision,
    TrainingSite,
    TrainingSiteKind,
)
from .selectors import (
    accreditations_to_renew,
    accreditations_valid_today,
    current_semester,
)


def _specialties():
    return Specialty.objects.exclude(kind=SpecialtyKind.OPTION).order_by("label")


class EstablishmentFilter(CockpitFilterSet):
    search_fields = ("name", "finess", "siret", "city", "legacy_id")
    data_quality = django_filters.ChoiceFilter(
        choices=DataQuality.choices,
        label=_("Qualité des données"),
        empty_label=_("Toutes"),
    )
    kind = django_filters.ChoiceFilter(
        choices=EstablishmentKind.choices, label=_("Nature"), empty_label=_("Toutes")
    )
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), label=_("Région"), empty_label=_("Toutes")
    )

    class Meta(CockpitFilterSet.Meta):
        model = Establishment
        fields = ["q", "data_quality", "kind", "region"]


class TrainingSiteFilter(CockpitFilterSet):
    search_fields = ("name", "department", "establishment__name", "legacy_id")
    specialty = django_filters.ModelChoiceFilter(
        queryset=_specialties(),
        label=_("Agréé pour la spécialité"),
        method="accredited_for",
        empty_label=_("Toutes"),
    )
    subdivision = django_filters.ModelChoiceFilter(
        queryset=Subdivision.objects.all(),
        label=_("Subdivision"),
        empty_label=_("Toutes"),
    )
    kind = django_filters.ChoiceFilter(
        choices=TrainingSiteKind.choices, label=_("Type"), empty_label=_("Tous")
    )
    is_active = yes_no_filter(_("Actif"))
    establishment_quality = django_filters.ChoiceFilter(
        field_name="establishment__data_quality",
        choices=DataQuality.choices,
        label=_("Qualité de l'établissement"),
        empty_label=_("Toutes"),
    )

    class Meta(CockpitFilterSet.Meta):
        model = TrainingSite
        fields = [
            "q",
            "specialty",
            "subdivision",
            "kind",
            "is_active",
            "establishment_quality",
        ]

    def accredited_for(self, queryset, name, value):
        sites = Accreditation.objects.filter(specialty=value).values("training_site_id")
        return queryset.filter(pk__in=sites)


class AccreditationFilter(CockpitFilterSet):
    search_fields = (
        "training_site__name",
        "decision_reference",
        "supervisor__last_name",
    )
    specialty = django_filters.ModelChoiceFilter(
        queryset=_specialties(), label=_("Spécialité"), empty_label=_("Toutes")
    )
    phase = django_filters.ModelChoiceFilter(
        field_name="phases",
        queryset=Phase.objects.all(),
        label=_("Phase"),
        empty_label=_("Toutes"),
    )
    state = django_filters.ChoiceFilter(
        choices=AccreditationState.choices, label=_("État"), empty_label=_("Tous")
    )
    subdivision = django_filters.ModelChoiceFilter(
        field_name="training_site__subdivision",
        queryset=Subdivision.objects.all(),
        label=_("Subdivision"),
        empty_label=_("Toutes"),
    )
    in_force = yes_no_filter(_("En vigueur aujourd'hui"), method="filter_in_force")
    to_renew = yes_no_filter(_("À renouveler sous 12 mois"), method="filter_to_renew")

    class Meta(CockpitFilterSet.Meta):
        model = Accreditation
        fields = [
            "q",
            "specialty",
            "phase",
            "state",
            "subdivision",
            "in_force",
            "to_renew",
        ]

    def filter_in_force(self, queryset, name, value):
        if value is None:
            return queryset
        valid = accreditations_valid_today(queryset)
        return valid if value else queryset.exclude(pk__in=valid.values("pk"))

    def filter_to_renew(self, queryset, name, value):
        if value is None:
            return queryset
        renew = accreditations_to_renew(queryset)
        return renew if value else queryset.exclude(pk__in=renew.values("pk"))


class PostFilter(CockpitFilterSet):
    """Posts of the current semester unless another one is chosen."""

    search_fields = ("training_site__name", "training_site__establishment__name")
    semester = django_filters.ModelChoiceFilter(
        queryset=Semester.objects.all(), label=_("Semestre"), empty_label=_("Tous")
    )
    specialty = django_filters.ModelChoiceFilter(
        queryset=_specialties(), label=_("Spécialité"), empty_label=_("Toutes")
    )
    phase = django_filters.ModelChoiceFilter(
        queryset=Phase.objects.all(), label=_("Phase"), empty_label=_("Toutes")
    )
    subdivision = django_filters.ModelChoiceFilter(
        field_name="training_site__subdivision",
        queryset=Subdivision.objects.all(),
        label=_("Subdivision"),
        empty_label=_("Toutes"),
    )

    class Meta(CockpitFilterSet.Meta):
        model = Post
        fields = ["q", "semester", "specialty", "phase", "subdivision"]

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and "semester" not in data:
            data = data.copy()
            semester = current_semester(timezone.localdate())
            if semester is not None:
                data["semester"] = str(semester.pk)
        super().__init__(data, *args, **kwargs)
