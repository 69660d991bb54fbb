import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from domains.cockpit.tables import CockpitTable

from .models import (
    LastAdmittedRank,
    Placement,
    ReplacementThreshold,
    Resident,
    SpecialSituation,
)


class ResidentTable(CockpitTable):
    name = tables.Column(
        accessor="person__last_name", verbose_name=_("Interne"), linkify=True
    )
    specialty_label = tables.Column(verbose_name=_("DES"), orderable=False, default="—")
    phase_label = tables.Column(verbose_name=_("Phase"), orderable=False, default="—")
    subdivision = tables.Column()
    cohort = tables.Column()

    class Meta(CockpitTable.Meta):
        model = Resident
        fields = ("name", "specialty_label", "phase_label", "subdivision", "cohort")

    def render_name(self, record):
        return record.person.full_name


class PlacementTable(CockpitTable):
    resident = tables.Column(
        accessor="resident__person__last_name", verbose_name=_("Interne"), linkify=True
    )
    semester = tables.Column()
    training_site = tables.Column()
    specialty = tables.Column()
    phase = tables.Column()
    validation = tables.Column()
    absence_days = tables.Column()

    class Meta(CockpitTable.Meta):
        model = Placement
        fields = (
            "resident",
            "semester",
            "training_site",
            "specialty",
            "phase",
            "validation",
            "absence_days",
        )

    def render_resident(self, record):
        return record.resident.person.full_name

    def selection_label(self, record) -> str:
        # A jury ticks residents: the box names her first, then the stage.
        return f"{record.resident.person.full_name} — {record}"


class SituationTable(CockpitTable):
    created_at = tables.DateTimeColumn(format="d/m/Y")
    resident = tables.Column(
        accessor="resident__person__last_name", verbose_name=_("Interne"), linkify=False
    )
    kind = tables.Column(linkify=True)
    start_date = tables.DateColumn(format="d/m/Y")
    end_date = tables.DateColumn(format="d/m/Y")
    status = tables.Column()

    class Meta(CockpitTable.Meta):
        model = SpecialSituation
        fields = ("created_at", "resident", "kind", "start_date", "end_date", "status")

    def render_resident(self, record):
        return record.resident.person.full_name


class LastAdmittedRankTable(CockpitTable):
    specialty = tables.Column(verbose_name=_("DES"), linkify=True)
    subdivision = tables.Column()
    cohort = tables.Column()
    ranking_kind = tables.Column()
    value = tables.Column(
        accessor="value_display", verbose_name=_("Dernier rang admis"), orderable=False
    )

    class Meta(CockpitTable.Meta):
        model = LastAdmittedRank
        fields = ("specialty", "subdivision", "cohort", "ranking_kind", "value")


class ReplacementThresholdTable(CockpitTable):
    specialty = tables.Column(verbose_name=_("DES"), linkify=True)
    label = tables.Column()
    semesters_required = tables.Column()
    of_which_count = tables.Column()
    of_which_kind = tables.Column()
    is_demo = tables.BooleanColumn()

    class Meta(CockpitTable.Meta):
        model = ReplacementThreshold
        fields = (
            "specialty",
            "label",
            "semesters_required",
            "of_which_count",
            "of_which_kind",
            "is_demo",
        )
