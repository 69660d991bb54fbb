"""Figures of the DGOS and ARS dashboards, computed by SQL aggregates (no row loops)."""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import (
    Count,
    QuerySet,
)
from django.db.models.functions import ExtractYear
from django.utils import timezone

from domains.cockpit.charts import BarChart
from domains.referential.models import Region, Semester, TrainingSiteKind

from .models import (
    Enrolment,
    EnrolmentState,
    PhasePeriod,
    Placement,
    PlacementMode,
    Resident,
    SituationKind,
    SituationStatus,
    SpecialSituation,
    Validation,
)

# Establishments of university hospitals, told apart from general hospitals by name:
# the referential has no CHU/CH category yet (FINESS categories come with the import).
UNIVERSITY_HOSPITAL = re.compile(
    r"(^|[^A-Z])(CHU|CHRU|CHR)([^A-Z]|$)|HOSPITALIER (REGIONAL )?UNIVERSITAIRE"
    r"|HOSPICES CIVILS|ASSISTANCE PUBLIQUE|AP-HP|AP-HM"
)


@dataclass
class Chart(BarChart):
    """A chart of the dashboard: residents counted per label unless it says."""

    value_header: str = "Internes"


@dataclass
class Dashboard:
    total: int
    charts: list[Chart]
    regions: list = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    year: int | None = None
    region: int | None = None


def _rows(queryset, label: str, limit: int | None = None) -> list[tuple[str, int]]:
    data = queryset.values(label).annotate(n=Count("pk")).order_by("-n", label)
    if limit:
        data = data[:limit]
    return [
        (str(row[label] if row[label] is not None else "—"), row["n"]) for row in data
    ]


def dashboard(residents: QuerySet[Resident], *, year=None, region=None) -> Dashboard:
    years = sorted(
        residents.order_by().values_list("cohort", flat=True).distinct(), reverse=True
    )
    if region:
        residents = residents.filter(subdivision__region_id=region)
    if year:
        residents = residents.filter(cohort=year)
    scope = residents.order_by().values("pk")
    enrolments = Enrolment.objects.filter(
        resident__in=scope, state=EnrolmentState.ACTIVE
    )
    open_phases = PhasePeriod.objects.filter(
        enrolment__resident__in=scope,
        enrolment__state=EnrolmentState.ACTIVE,
        actual_end__isnull=True,
    )
    remorse = SpecialSituation.objects.filter(
        resident__in=scope,
        kind=SituationKind.SPECIALTY_CHANGE,
        status=SituationStatus.APPROVED,
    ).annotate(year=ExtractYear("start_date"))
    today = timezone.localdate()
    placements = (
        Placement.objects.filter(
            resident__in=scope,
            mode=PlacementMode.R3C,
            semester__in=list(
                Semester.objects.filter(
                    start_date__gt=today - timedelta(days=366), start_date__lte=today
                ).values_list("pk", flat=True)
            ),
        )
        .values("training_site__kind", "training_site__establishment__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    situations = SpecialSituation.objects.filter(
        resident__in=scope,
        status=SituationStatus.APPROVED,
        start_date__lte=today,
        end_date__gte=today - timedelta(days=365),
        kind__in=[
            SituationKind.LEAVE,
            SituationKind.SUPERNUMERARY_VALIDATING,
            SituationKind.SUPERNUMERARY_NON_VALIDATING,
        ],
    )
    kind_labels = dict(SituationKind.choices)
    charts = [
        Chart(
            "Internes par spécialité (DES)",
            _rows(enrolments, "specialty__label", 25),
            "Spécialité (DES)",
        ),
        Chart("Internes par phase", _rows(open_phases, "phase__label"), "Phase"),
        Chart(
            "Internes par subdivision",
            _rows(residents, "subdivision__name"),
            "Subdivision",
        ),
        Chart(
            "Internes par promotion",
            sorted(_rows(residents, "cohort"), key=lambda r: r[0], reverse=True),
            "Promotion",
        ),
        Chart(
            "Internes des subdivisions d'outre-mer",
            _rows(residents.filter(subdivision__overseas=True), "subdivision__name"),
            "Subdivision",
        ),
        Chart(
            "Changements de spécialité (droit au remords) par année",
            sorted(_rows(remorse, "year"), reverse=True),
            "Année",
            "Changements",
        ),
        Chart(
            "Droits au remords par spécialité d'arrivée",
            _rows(remorse, "target_specialty__label", 15),
            "Spécialité d'arrivée",
            "Changements",
        ),
        Chart(
            "Stages de l'année : hospitaliers et ambulatoires",
            _settings(placements),
            "Lieu de stage",
            "Stages",
        ),
        Chart(
            "Disponibilités et surnombres (12 derniers mois)",
            [(str(kind_labels[k]), n) for k, n in _rows(situations, "kind")],
            "Situation",
            "Situations",
        ),
    ]
    return Dashboard(
        total=residents.count(),
        charts=charts,
        regions=list(Region.objects.order_by("name")),
        years=years,
        year=year,
        region=region,
    )


def _setting(kind: str, establishment: str) -> str:
    if kind == TrainingSiteKind.AMBULATORY:
        return "Ambulatoire"
    if kind == TrainingSiteKind.HOSPITAL:
        if UNIVERSITY_HOSPITAL.search(establishment.upper()):
            return "Hospitalier — CHU"
        return "Hospitalier — CH"
    return "Autre"


def _settings(groups) -> list[tuple[str, int]]:
    """Stages counted by SQL per (site kind, establishment), then each group named."""
    totals: dict[str, int] = defaultdict(int)
    for row in groups:
        setting = _setting(
            row["training_site__kind"], row["training_site__establishment__name"]
        )
        totals[setting] += row["n"]
    return sorted(totals.items(), key=lambda item: -item[1])


def due_for_phase_change(residents: QuerySet[Resident], days: int = 90) -> list[list]:
    """Residents whose phase ends within `days`: the jury preparation sheet."""
    horizon = timezone.localdate() + timedelta(days=days)
    periods = list(
        PhasePeriod.objects.filter(
            enrolment__resident__in=residents.values("pk"),
            enrolment__state=EnrolmentState.ACTIVE,
            actual_end__isnull=True,
            planned_end__lte=horizon,
        )
        .select_related("phase", "enrolment__specialty", "enrolment__resident__person")
        .order_by(
            "enrolment__specialty__label", "enrolment__resident__person__last_name"
        )
    )
    counts = {
        (row["resident_id"], row["phase_id"], row["validation"]): row["n"]
        for row in Placement.objects.filter(
            resident_id__in=[p.enrolment.resident_id for p in periods]
        )
        .values("resident_id", "phase_id", "validation")
        .annotate(n=Count("pk"))
    }
    rows = []
    for period in periods:
        resident = period.enrolment.resident
        key = (resident.pk, period.phase_id)
        rows.append(
            [
                resident.person.last_name.upper(),
                resident.person.first_name,
                period.enrolment.specialty.label,
                period.phase.label,
                period.start_date,
                period.planned_end,
                counts.get((*key, Validation.VALIDATED), 0),
                counts.get((*key, Validation.NOT_VALIDATED), 0),
            ]
        )
    return rows
