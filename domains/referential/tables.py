import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from domains.cockpit.tables import CockpitTable, DateColumn

from .models import (
    ACTIVE_ACCREDITATION_STATES,
    Accreditation,
    DataQuality,
    Establishment,
    Post,
    TrainingSite,
)
from .selectors import renewal_horizon


class EstablishmentTable(CockpitTable):
    name = tables.Column(linkify=True)
    finess = tables.Column(verbose_name=_("FINESS"))
    siret = tables.Column(verbose_name=_("SIRET"))
    kind = tables.Column()
    region = tables.Column(order_by=("region__name",))
    city = tables.Column()
    data_quality = tables.Column()

    class Meta(CockpitTable.Meta):
        model = Establishment
        fields = ("name", "finess", "siret", "kind", "region", "city", "data_quality")

    def render_finess(self, record):
        return record.finess_display

    def render_data_quality(self, record):
        clean = record.data_quality == DataQuality.CLEAN
        return format_html(
            '<p class="fr-badge fr-badge--sm fr-badge--{}">{}</p>',
            "success" if clean else "warning",
            record.get_data_quality_display(),
        )


class TrainingSiteTable(CockpitTable):
    name = tables.Column(linkify=True)
    department = tables.Column()
    establishment = tables.Column(order_by=("establishment__name",))
    subdivision = tables.Column(order_by=("subdivision__name",))
    kind = tables.Column()
    is_active = tables.BooleanColumn(yesno=(_("Oui"), _("Non")))

    class Meta(CockpitTable.Meta):
        model = TrainingSite
        fields = (
            "name",
            "department",
            "establishment",
            "subdivision",
            "kind",
            "is_active",
        )


class AccreditationTable(CockpitTable):
    training_site = tables.Column(
        linkify=("cockpit:agrements_detail", [tables.A("pk")]),
        order_by=("training_site__name",),
    )
    specialty = tables.Column(order_by=("specialty__label",))
    phases = tables.ManyToManyColumn(orderable=False, separator=", ")
    type = tables.Column()
    state = tables.Column()
    start_date = DateColumn()
    end_date = DateColumn()
    supervisor = tables.Column(order_by=("supervisor__last_name",))

    class Meta(CockpitTable.Meta):
        model = Accreditation
        fields = (
            "training_site",
            "specialty",
            "phases",
            "type",
            "state",
            "start_date",
            "end_date",
            "supervisor",
        )
        row_attrs = {
            "class": lambda record: "siimop-row--warning" if _to_renew(record) else ""
        }

    def render_end_date(self, record, value):
        label = value.strftime("%d/%m/%Y")
        if _to_renew(record):
            return format_html(
                '{} <p class="fr-badge fr-badge--sm fr-badge--warning">{}</p>',
                label,
                _("à renouveler"),
            )
        return label


def _to_renew(record: Accreditation) -> bool:
    """Active and ending within 12 months (computed once per row: two columns ask)."""
    if not hasattr(record, "_to_renew"):
        today = timezone.localdate()
        record._to_renew = (
            record.state in ACTIVE_ACCREDITATION_STATES
            and today <= record.end_date <= renewal_horizon(today)
        )
    return record._to_renew


class PostTable(CockpitTable):
    training_site = tables.Column(
        linkify=("cockpit:postes_detail", [tables.A("pk")]),
        order_by=("training_site__name",),
    )
    subdivision = tables.Column(
        accessor="training_site__subdivision",
        verbose_name=_("Subdivision"),
        order_by=("training_site__subdivision__name",),
    )
    specialty = tables.Column(order_by=("specialty__label",))
    phase = tables.Column(order_by=("phase__order",))
    semester = tables.Column(order_by=("semester__start_date",))
    seats = tables.Column()

    class Meta(CockpitTable.Meta):
        model = Post
        fields = (
            "training_site",
            "subdivision",
            "specialty",
            "phase",
            "semester",
            "seats",
        )
