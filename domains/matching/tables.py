import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from domains.cockpit.tables import CockpitTable

from .models import MatchingCampaign


class CampaignTable(CockpitTable):
    name = tables.Column(linkify=True)
    region = tables.Column()
    semester = tables.Column(verbose_name=_("Semestre"))
    round_count = tables.Column(verbose_name=_("Tours"), orderable=False)
    created_at = tables.DateTimeColumn(format="d/m/Y")

    class Meta(CockpitTable.Meta):
        model = MatchingCampaign
        fields = ("name", "region", "semester", "round_count", "created_at")
