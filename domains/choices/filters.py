import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from domains.cockpit.filters import CockpitFilterSet, yes_no_filter
from domains.referential.models import Phase, Semester, Specialty, SpecialtyKind

from .models import (
    ActivityKind,
    ActivityLine,
    ActivityStatus,
    CallList,
    CallListContest,
    CallListContestStatus,
    CallListStatus,
    ChoiceGroup,
    ChoiceSession,
    HostingStatus,
    InterChuHosting,
    OpeningStatus,
    PostOpening,
    SessionStatus,
)


class ActivityLineFilter(CockpitFilterSet):
    search_fields = ("resident__person__last_name", "resident__person__first_name")
    semester = django_filters.ModelChoiceFilter(
        queryset=Semester.objects.order_by("-start_date"), label=_("Semestre")
    )
    specialty = django_filters.ModelChoiceFilter(
        queryset=Specialty.objects.filter(
            kind__in=[SpecialtyKind.DES, SpecialtyKind.CO_DES]
        ).order_by("label"),
        label=_("DES"),
        empty_label=_("Tous"),
    )
    phase = django_filters.ModelChoiceFilter(
        queryset=Phase.objects.all(), label=_("Phase"), empty_label=_("Toutes")
    )
    kind = django_filters.ChoiceFilter(
        choices=ActivityKind.choices, label=_("Situation"), empty_label=_("Toutes")
    )
    pending = yes_no_filter(_("À valider"), method="filter_pending")

    class Meta(CockpitFilterSet.Meta):
        model = ActivityLine
        fields = ["q", "semester", "specialty", "phase", "kind", "pending"]

    def filter_pending(self, queryset, name, value):
        if value is None:
            return queryset
        validated = {"status": ActivityStatus.VALIDATED}
        return queryset.exclude(**validated) if value else queryset.filter(**validated)


class CallListFilter(CockpitFilterSet):
    search_fields = ("specialty__label", "group__label")
    semester = django_filters.ModelChoiceFilter(
        queryset=Semester.objects.order_by("-start_date"), label=_("Semestre")
    )
    phase = django_filters.ModelChoiceFilter(
        queryset=Phase.objects.all(), label=_("Phase"), empty_label=_("Toutes")
    )
    status = django_filters.ChoiceFilter(
        choices=CallListStatus.choices, label=_("État"), empty_label=_("Tous")
    )
    contested = yes_no_filter(
        _("Contestations en attente de réponse"), method="filter_contested"
    )

    class Meta(CockpitFilterSet.Meta):
        model = CallList
        fields = ["q", "semester", "phase", "status", "contested"]

    def filter_contested(self, queryset, name, value):
        if value is None:
            return queryset
        pending = Exists(
            CallListContest.objects.filter(
                call_list=OuterRef("pk"), status=CallListContestStatus.OPEN
            )
        )
        return queryset.filter(pending if value else ~pending)


class OpeningFilter(CockpitFilterSet):
    search_fields = ("subdivision__name", "decree_reference")
    semester = django_filters.ModelChoiceFilter(
        queryset=Semester.objects.order_by("-start_date"),
        label=_("Semestre"),
        empty_label=_("Tous"),
    )
    status = django_filters.ChoiceFilter(
        choices=OpeningStatus.choices, label=_("État"), empty_label=_("Tous")
    )

    class Meta(CockpitFilterSet.Meta):
        model = PostOpening
        fields = ["q", "semester", "status"]


class HostingFilter(CockpitFilterSet):
    search_fields = (
        "situation__resident__person__last_name",
        "situation__resident__person__first_name",
    )
    status = django_filters.ChoiceFilter(
        choices=HostingStatus.choices, label=_("Accord"), empty_label=_("Tous")
    )

    class Meta(CockpitFilterSet.Meta):
        model = InterChuHosting
        fields = ["q", "status"]


class ChoiceGroupFilter(CockpitFilterSet):
    search_fields = ("label", "specialties__label")

    class Meta(CockpitFilterSet.Meta):
        model = ChoiceGroup
        fields = ["q"]


class SessionFilter(CockpitFilterSet):
    search_fields = ("call_list__specialty__label", "call_list__group__label")
    semester = django_filters.ModelChoiceFilter(
        field_name="call_list__semester",
        queryset=Semester.objects.order_by("-start_date"),
        label=_("Semestre"),
    )
    status = django_filters.ChoiceFilter(
        choices=SessionStatus.choices, label=_("État"), empty_label=_("Tous")
    )

    class Meta(CockpitFilterSet.Meta):
        model = ChoiceSession
        fields = ["q", "semester", "status"]
