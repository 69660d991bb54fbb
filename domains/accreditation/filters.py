import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from domains.cockpit.filters import CockpitFilterSet
from domains.referential.models import Region, Specialty, Subdivision

from .models import AccreditationCampaign, AccreditationRequest, RequestStatus
from .selectors import late_requests, opinion_kind_of, opinions_due


class CampaignFilter(CockpitFilterSet):
    search_fields = ("name",)
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), label=_("Région")
    )

    class Meta(CockpitFilterSet.Meta):
        model = AccreditationCampaign
        fields = ["q", "region", "year", "status"]


class RequestFilter(CockpitFilterSet):
    search_fields = ("training_site__name", "training_site__establishment__name")
    campaign = django_filters.ModelChoiceFilter(
        queryset=AccreditationCampaign.objects.select_related("region"),
        label=_("Campagne"),
    )
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices, label=_("État"))
    specialty = django_filters.ModelChoiceFilter(
        queryset=Specialty.objects.order_by("label"), label=_("Spécialité")
    )
    subdivision = django_filters.ModelChoiceFilter(
        field_name="training_site__subdivision",
        queryset=Subdivision.objects.all(),
        label=_("Subdivision"),
    )
    late = django_filters.BooleanFilter(
        method="filter_late",
        label=_("En retard (brouillon, échéance à moins de 7 jours ou passée)"),
    )

    opinion_due = django_filters.BooleanFilter(
        method="filter_opinion_due", label=_("En attente de mon avis")
    )

    class Meta(CockpitFilterSet.Meta):
        model = AccreditationRequest
        fields = [
            "q",
            "campaign",
            "status",
            "specialty",
            "subdivision",
            "type",
            "late",
            "opinion_due",
        ]

    def filter_late(self, queryset, name, value):
        return late_requests(queryset, timezone.now()) if value else queryset

    def filter_opinion_due(self, queryset, name, value):
        function = self.request.actor.function if self.request else None
        kind = opinion_kind_of(function.role if function else None)
        if not value or kind is None:
            return queryset
        return opinions_due(queryset, kind)
