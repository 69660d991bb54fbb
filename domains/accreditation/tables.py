import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from domains.cockpit.tables import CockpitTable, SelectionColumn

from .models import AccreditationCampaign, AccreditationRequest


class CampaignTable(CockpitTable):
    name = tables.Column(linkify=True)
    region = tables.Column()
    year = tables.Column()
    status = tables.Column()
    filing_closes = tables.DateTimeColumn(format="d/m/Y H:i")
    commission_date = tables.DateColumn(format="d/m/Y")
    request_count = tables.Column(verbose_name=_("Demandes"), orderable=False)

    class Meta(CockpitTable.Meta):
        model = AccreditationCampaign
        fields = (
            "name",
            "region",
            "year",
            "status",
            "filing_closes",
            "commission_date",
            "request_count",
        )


class RequestTable(CockpitTable):
    selection = SelectionColumn()
    pk = tables.Column(verbose_name=_("N°"), linkify=True)
    training_site = tables.Column(verbose_name=_("Terrain de stage"))
    establishment = tables.Column(
        accessor="training_site.establishment.name",
        verbose_name=_("Établissement"),
        orderable=False,
    )
    subdivision = tables.Column(
        accessor="training_site.subdivision.name",
        verbose_name=_("Subdivision"),
        order_by="training_site__subdivision__name",
    )
    specialty = tables.Column(verbose_name=_("Spécialité"), order_by="specialty__label")
    type = tables.Column()
    status = tables.Column()
    submitted_at = tables.DateTimeColumn(format="d/m/Y")
    campaign = tables.Column(verbose_name=_("Campagne"), order_by="campaign__year")

    # Ten columns do not fit beside the filters: the campaign is the filter one
    # usually sets first (and its name repeats the region on every row).
    default_hidden = ("campaign",)

    class Meta(CockpitTable.Meta):
        model = AccreditationRequest
        fields = (
            "selection",
            "pk",
            "training_site",
            "establishment",
            "subdivision",
            "specialty",
            "type",
            "status",
            "submitted_at",
            "campaign",
        )
