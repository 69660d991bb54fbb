import django_filters
from django.utils.translation import gettext_lazy as _

from domains.cockpit.filters import CockpitFilterSet
from domains.referential.models import Region

from .models import MatchingCampaign


class CampaignFilter(CockpitFilterSet):
    search_fields = ("name",)
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), label=_("Région")
    )

    class Meta(CockpitFilterSet.Meta):
        model = MatchingCampaign
        fields = ["q", "region"]
