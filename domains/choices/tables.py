import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from domains.cockpit.tables import CockpitTable

from .models import (
    ActivityLine,
    CallList,
    ChoiceGroup,
    ChoiceSession,
    InterChuHosting,
    PostOpening,
)


class ActivityLineTable(CockpitTable):
    resident = tables.Column(
        accessor="resident__person__last_name", verbose_name=_("Interne"), linkify=True
    )
    specialty = tables.Column(default="—")
    phase = tables.Column(default="—")
    kind = tables.Column()
    reason = tables.Column()
    source = tables.Column()
    status = tables.Column()

    class Meta(CockpitTable.Meta):
        model = ActivityLine
        fields = (
            "resident",
            "specialty",
            "phase",
            "kind",
            "reason",
            "source",
            "status",
        )

    def render_resident(self, record):
        return record.resident.person.full_name

    def render_specialty(self, record):
        return record.specialty.label

    def render_phase(self, record):
        return record.phase.label

    def selection_label(self, record) -> str:
        return f"{record.resident.person.full_name} — {record.get_kind_display()}"


class CallListTable(CockpitTable):
    # A group's list has no DES: the column reads the record, never empty.
    specialty = tables.Column(
        verbose_name=_("DES ou groupe de choix"),
        accessor="who",
        linkify=lambda record: record.get_absolute_url(),
        order_by=("specialty__label", "group__label"),
    )
    phase = tables.Column()
    subdivision = tables.Column()
    semester = tables.Column()
    size = tables.Column(verbose_name=_("Internes appelés"), orderable=False)
    status = tables.Column(
        accessor="state_label", order_by="status", verbose_name=_("État")
    )

    class Meta(CockpitTable.Meta):
        model = CallList
        fields = ("specialty", "phase", "subdivision", "semester", "size", "status")


class OpeningTable(CockpitTable):
    subdivision = tables.Column(linkify=True)
    semester = tables.Column()
    status = tables.Column()
    decree_reference = tables.Column(default="—")
    signed_at = tables.DateTimeColumn(format="d/m/Y", default="—")
    published_at = tables.DateTimeColumn(format="d/m/Y", default="—")

    class Meta(CockpitTable.Meta):
        model = PostOpening
        fields = (
            "subdivision",
            "semester",
            "status",
            "decree_reference",
            "signed_at",
            "published_at",
        )


class HostingTable(CockpitTable):
    resident = tables.Column(
        accessor="situation__resident__person__last_name",
        verbose_name=_("Interne"),
        linkify=True,
    )
    origin = tables.Column(
        accessor="situation__resident__subdivision__name",
        verbose_name=_("Subdivision d'origine"),
    )
    host_subdivision = tables.Column()
    specialty = tables.Column(default="—")
    start = tables.DateColumn(
        accessor="situation__start_date", format="d/m/Y", verbose_name=_("Du")
    )
    end = tables.DateColumn(
        accessor="situation__end_date", format="d/m/Y", verbose_name=_("Au")
    )
    coordinator_opinion = tables.Column(default="—")
    status = tables.Column()

    class Meta(CockpitTable.Meta):
        model = InterChuHosting
        fields = (
            "resident",
            "origin",
            "host_subdivision",
            "specialty",
            "start",
            "end",
            "coordinator_opinion",
            "status",
        )

    def render_resident(self, record):
        return record.situation.resident.person.full_name

    def render_specialty(self, record):
        return record.specialty.label


class ChoiceGroupTable(CockpitTable):
    label = tables.Column(linkify=True)
    subdivision = tables.Column()
    members = tables.Column(
        verbose_name=_("DES qui choisissent ensemble"),
        accessor="pk",
        orderable=False,
    )

    class Meta(CockpitTable.Meta):
        model = ChoiceGroup
        fields = ("label", "subdivision", "members")

    def render_members(self, record):
        return ", ".join(s.label for s in record.specialties.all())


class SessionTable(CockpitTable):
    call_list = tables.Column(
        verbose_name=_("Liste d'appel"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("call_list__specialty__label", "call_list__group__label"),
    )
    semester = tables.Column(accessor="call_list__semester", verbose_name=_("Semestre"))
    status = tables.Column()
    wishes_until = tables.DateTimeColumn(format="d/m/Y H:i")
    simulated_at = tables.DateTimeColumn(format="d/m/Y H:i", default="—")

    class Meta(CockpitTable.Meta):
        model = ChoiceSession
        fields = ("call_list", "semester", "status", "wishes_until", "simulated_at")
