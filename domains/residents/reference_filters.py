"""Filters of the residents' reference tables: the last ranks admitted (droit au
remords) and the Ordre's thresholds (licence de remplacement). Kept apart from
filters.py, which another change of this session was editing."""

import django_filters
from django.utils.translation import gettext_lazy as _

from domains.cockpit.filters import CockpitFilterSet
from domains.referential.models import Specialty, SpecialtyKind, Subdivision

from .models import LastAdmittedRank, RankingKind, ReplacementThreshold


def _des():
    return Specialty.objects.filter(kind__in=[SpecialtyKind.DES, SpecialtyKind.CO_DES])


class LastAdmittedRankFilter(CockpitFilterSet):
    search_fields = ("specialty__label", "subdivision__name")
    specialty = django_filters.ModelChoiceFilter(
        queryset=_des(), label=_("DES"), empty_label=_("Tous")
    )
    subdivision = django_filters.ModelChoiceFilter(
        queryset=Subdivision.objects.all(),
        label=_("Subdivision"),
        empty_label=_("Toutes"),
    )
    cohort = django_filters.NumberFilter(label=_("Promotion"))
    ranking_kind = django_filters.ChoiceFilter(
        choices=RankingKind.choices, label=_("Type de classement")
    )

    class Meta(CockpitFilterSet.Meta):
        model = LastAdmittedRank
        fields = ["q", "specialty", "subdivision", "cohort", "ranking_kind"]


class ReplacementThresholdFilter(CockpitFilterSet):
    search_fields = ("specialty__label", "label")
    specialty = django_filters.ModelChoiceFilter(
        queryset=_des(), label=_("DES"), empty_label=_("Tous")
    )

    class Meta(CockpitFilterSet.Meta):
        model = ReplacementThreshold
        fields = ["q", "specialty"]
