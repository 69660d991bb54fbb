from datetime import timedelta

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from domains.cockpit.filters import CockpitFilterSet, yes_no_filter
from domains.referential.models import (
    Phase,
    Semester,
    Specialty,
    SpecialtyKind,
    Subdivision,
)

from .models import (
    OPEN_SITUATION_STATUSES,
    Enrolment,
    EnrolmentState,
    PhasePeriod,
    Placement,
    Resident,
    SituationKind,
    SituationStatus,
    SpecialSituation,
    Validation,
)


class ResidentFilter(CockpitFilterSet):
    search_fields = ("person__last_name", "person__first_name")
    specialty = django_filters.ModelChoiceFilter(
        queryset=Specialty.objects.filter(
            kind__in=[SpecialtyKind.DES, SpecialtyKind.CO_DES]
        ),
        label=_("DES"),
        method="with_specialty",
    )
    phase = django_filters.ModelChoiceFilter(
        queryset=Phase.objects.all(), label=_("Phase en cours"), method="in_phase"
    )
    cohort = django_filters.NumberFilter(label=_("Promotion"))
    subdivision = django_filters.ModelChoiceFilter(
        queryset=Subdivision.objects.all(), label=_("Subdivision")
    )
    due = yes_no_filter(_("Fin de phase dans les 3 mois (jury)"), method="due_for_jury")
    situation = django_filters.ChoiceFilter(
        choices=SituationKind.choices,
        label=_("Situation en cours"),
        method="in_situation",
        empty_label=_("Toutes"),
    )

    class Meta(CockpitFilterSet.Meta):
        model = Resident
        fields = [
            "q",
            "specialty",
            "phase",
            "due",
            "cohort",
            "subdivision",
            "situation",
        ]

    def with_specialty(self, queryset, name, value):
        return queryset.filter(
            Exists(
                Enrolment.objects.filter(
                    resident_id=OuterRef("pk"),
                    specialty=value,
                    state=EnrolmentState.ACTIVE,
                )
            )
        )

    def in_phase(self, queryset, name, value):
        return queryset.filter(
            Exists(
                PhasePeriod.objects.filter(
                    enrolment__resident_id=OuterRef("pk"),
                    enrolment__state=EnrolmentState.ACTIVE,
                    actual_end__isnull=True,
                    phase=value,
                )
            )
        )

    def due_for_jury(self, queryset, name, value):
        due = Exists(
            PhasePeriod.objects.filter(
                enrolment__resident_id=OuterRef("pk"),
                enrolment__state=EnrolmentState.ACTIVE,
                actual_end__isnull=True,
                planned_end__lte=timezone.localdate() + timedelta(days=90),
            )
        )
        return queryset.filter(due if value else ~due)

    def in_situation(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.filter(
            Exists(
                SpecialSituation.objects.filter(
                    resident_id=OuterRef("pk"),
                    kind=value,
                    status=SituationStatus.APPROVED,
                    start_date__lte=today,
                    end_date__gte=today,
                )
            )
        )


class PlacementFilter(CockpitFilterSet):
    search_fields = (
        "resident__person__last_name",
        "resident__person__first_name",
        "training_site__name",
    )
    semester = django_filters.ModelChoiceFilter(
        queryset=Semester.objects.order_by("-start_date"), label=_("Semestre")
    )
    validation = django_filters.ChoiceFilter(
        choices=Validation.choices, label=_("Validation"), empty_label=_("Toutes")
    )
    subdivision = django_filters.ModelChoiceFilter(
        field_name="resident__subdivision",
        queryset=Subdivision.objects.all(),
        label=_("Subdivision"),
    )

    to_validate = yes_no_filter(
        _("À valider (stage fini ou finissant dans le mois)"),
        method="filter_to_validate",
    )

    class Meta(CockpitFilterSet.Meta):
        model = Placement
        fields = ["q", "semester", "validation", "subdivision", "to_validate"]

    def filter_to_validate(self, queryset, name, value):
        if value is None:
            return queryset
        due = Q(
            validation=Validation.PENDING,
            semester__end_date__lte=timezone.localdate() + timedelta(days=31),
        )
        return queryset.filter(due if value else ~due)


class SituationFilter(CockpitFilterSet):
    search_fields = ("resident__person__last_name", "resident__person__first_name")
    kind = django_filters.ChoiceFilter(
        choices=SituationKind.choices, label=_("Situation"), empty_label=_("Toutes")
    )
    status = django_filters.ChoiceFilter(
        choices=SituationStatus.choices, label=_("État"), empty_label=_("Tous")
    )
    pending = yes_no_filter(_("En attente de décision"), method="filter_pending")

    class Meta(CockpitFilterSet.Meta):
        model = SpecialSituation
        fields = ["q", "kind", "status", "pending"]

    def filter_pending(self, queryset, name, value):
        if value is None:
            return queryset
        pending = Q(status__in=OPEN_SITUATION_STATUSES)
        return queryset.filter(pending if value else ~pending)
