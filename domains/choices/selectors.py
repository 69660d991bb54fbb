"""Reads of the semester cycle, scoped to who asks."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from domains.people.models import Function
from domains.people.roles import PerimeterKind, Role
from domains.people.selectors import active_on
from domains.referential.models import Phase, Post, Semester, Specialty, Subdivision
from domains.referential.selectors import perimeter_q, visible_posts
from domains.residents.models import Resident

from .activity import COUNTED_IN_NEEDS
from .models import (
    ActivityKind,
    ActivityLine,
    ActivitySource,
    CallList,
    CallListEntry,
    CallListStatus,
    ChoiceGroup,
    ChoiceGroupMember,
    DeclarationDeadline,
    InterChuHosting,
    OpeningRule,
    OpeningStatus,
    PostOpening,
)
from .opening_rule import Coverage, Group, OpenedPost, Rule, coverage


def line_rules() -> dict:
    """Who sees a line: its subdivision's registry (and the host's, for an entrant),
    the region's ARS, the coordinator of its DES there, the resident herself."""
    return {
        PerimeterKind.REGION: lambda f: Q(subdivision__region_id=f.region_id),
        PerimeterKind.SUBDIVISION: lambda f: Q(subdivision_id=f.subdivision_id),
        PerimeterKind.SPECIALTY_IN_SUBDIVISION: lambda f: Q(
            subdivision_id=f.subdivision_id, specialty_id=f.specialty_id
        ),
        PerimeterKind.SELF: lambda f: Q(resident__person_id=f.person_id),
    }


def visible_activity_lines(user) -> QuerySet[ActivityLine]:
    return ActivityLine.objects.filter(perimeter_q(user, line_rules())).select_related(
        "resident__person", "semester", "subdivision", "specialty", "phase"
    )


def coming_semester(today: date | None = None) -> Semester | None:
    """The next semester to place residents for: the first one not begun."""
    today = today or timezone.localdate()
    return Semester.objects.filter(start_date__gt=today).order_by("start_date").first()


def activity_counts(lines: QuerySet[ActivityLine]) -> list[dict]:
    """Lines per DES × phase × situation (one query), with the needs: residents who
    take a seat in the choice (validating supernumeraries included)."""
    rows = list(
        lines.order_by()
        .values("specialty__label", "phase__label", "phase__order", "kind")
        .annotate(n=Count("pk"))
        .order_by("specialty__label", "phase__order", "kind")
    )
    table: dict[tuple, dict] = {}
    for row in rows:
        key = (row["specialty__label"] or "—", row["phase__label"] or "—")
        line = table.setdefault(
            key, {"specialty": key[0], "phase": key[1], "kinds": {}, "needs": 0}
        )
        line["kinds"][row["kind"]] = row["n"]
        if row["kind"] in COUNTED_IN_NEEDS:
            line["needs"] += row["n"]
    for line in table.values():
        # One cell per situation, in the order of ActivityKind (the table's columns).
        line["cells"] = [line["kinds"].get(kind, 0) for kind in ActivityKind.values]
    return list(table.values())


RegionRules = tuple[dict[str, Rule], Rule]  # the rule per DES code, and the default


def _region_rules(field: str = "region_id", **where) -> dict[object, RegionRules]:
    """The opening rules of regions (one query), keyed by `field` of the rule (the
    region's id or name): a region without any gets none (the national default)."""
    found: dict[object, RegionRules] = {}
    for record in OpeningRule.objects.filter(**where).select_related(
        "region", "specialty"
    ):
        key = record.region_id if field == "region_id" else record.region.name
        per_des, default = found.get(key, ({}, Rule()))
        if record.specialty_id is None:
            default = record.as_rule()
        else:
            per_des[record.specialty.code] = record.as_rule()
        found[key] = (per_des, default)
    return found


def opening_rules(region) -> RegionRules:
    """The region's opening rules: per DES code, and the one for its other DES (its
    own rule for all its DES, else the national 107 %)."""
    return _region_rules(region_id=region.pk).get(region.pk, ({}, Rule()))


def visible_opening_rules(user) -> QuerySet[OpeningRule]:
    """The ARS's region; DGOS and UNESS every region."""
    return OpeningRule.objects.filter(
        perimeter_q(user, {PerimeterKind.REGION: lambda f: Q(region_id=f.region_id)})
    ).select_related("region", "specialty")


def _added_up(per_region: list[list[Coverage]]) -> list[Coverage]:
    """Lines of several regions, each with its region's rule, added up per DES and
    phase: the needs are each region's own; the rule is said when it is the same."""
    if len(per_region) == 1:
        return per_region[0]
    groups: dict[Group, list[Coverage]] = defaultdict(list)
    for lines in per_region:
        for c in lines:
            groups[c.group].append(c)
    return [
        Coverage(
            group=group,
            choosing=sum(c.choosing for c in same),
            needed=sum(c.needed for c in same),
            opened=sum(c.opened for c in same),
            mixed=sum(c.mixed for c in same),
            coupled=sum(c.coupled for c in same),
            rule=same[0].rule if len({c.rule for c in same}) == 1 else None,
        )
        for group, same in sorted(groups.items())
    ]


def _coverage(lines: QuerySet[ActivityLine], posts: QuerySet[Post]) -> list[Coverage]:
    """The 107 % rule per DES and phase: residents taking a seat in the choice (the
    semester activity) against the posts opened, by the rules of their region
    (`OpeningRule`). Over several regions (DGOS, UNESS), each region's needs by its
    own rules, then added up. A mixed post counts in each DES it is open to; a
    coupled pair counts once."""
    # Per subdivision first (its id is on the rows: no join), then per region.
    by_subdivision: dict[int, dict[Group, int]] = defaultdict(dict)
    for row in (
        lines.filter(kind__in=COUNTED_IN_NEEDS)
        .order_by()
        .values("subdivision_id", "specialty__code", "phase__code")
        .annotate(n=Count("pk"))
    ):
        if row["specialty__code"] and row["phase__code"]:
            group = (row["specialty__code"], row["phase__code"])
            by_subdivision[row["subdivision_id"]][group] = row["n"]
    posts = posts.filter(coupled_from__isnull=True).order_by()  # a pair's 2nd half
    # Rows, not instances: a subdivision opens ~6,000 posts, and prefetching their
    # mixed DES by instance cost ~1 s (benchmarks/choices.py).
    shared = defaultdict(list)
    for post_id, code in Post.shared_specialties.through.objects.filter(
        post__in=posts.values("pk")
    ).values_list("post_id", "specialty__code"):
        shared[post_id].append(code)
    opened_in: dict[int, list[OpenedPost]] = defaultdict(list)
    for pk, specialty, phase, seats, coupled_with, subdivision in posts.values_list(
        "pk",
        "specialty__code",
        "phase__code",
        "seats",
        "coupled_with_id",
        "training_site__subdivision_id",
    ):
        opened_in[subdivision].append(
            OpenedPost(
                id=str(pk),
                groups=tuple((code, phase) for code in [specialty, *shared[pk]]),
                seats=seats,
                coupled=coupled_with is not None,
            )
        )
    region_of = dict(
        Subdivision.objects.filter(pk__in={*by_subdivision, *opened_in}).values_list(
            "pk", "region_id"
        )
    )
    choosing: dict[int, dict[Group, int]] = defaultdict(lambda: defaultdict(int))
    for subdivision, counts in by_subdivision.items():
        for group, n in counts.items():
            choosing[region_of[subdivision]][group] += n
    opened: dict[int, list[OpenedPost]] = defaultdict(list)
    for subdivision, posts_opened in opened_in.items():
        opened[region_of[subdivision]].extend(posts_opened)
    regions = sorted(set(choosing) | set(opened))
    rules = _region_rules(region_id__in=regions)
    return _added_up(
        [
            coverage(
                choosing.get(region, {}),
                opened.get(region, []),
                *rules.get(region, ({}, Rule())),
            )
            for region in regions
        ]
        or [[]]
    )


def opening_coverage(user, semester: Semester) -> list[Coverage]:
    """The rule over the asker's perimeter."""
    return _coverage(
        visible_activity_lines(user).filter(semester=semester),
        visible_posts(user).filter(semester=semester),
    )


def subdivision_coverage(
    subdivision: Subdivision, semester: Semester
) -> list[Coverage]:
    """The rule in one subdivision: what its opening decree is signed on."""
    return _coverage(
        ActivityLine.objects.filter(semester=semester, subdivision=subdivision),
        Post.objects.filter(semester=semester, training_site__subdivision=subdivision),
    )


def coverage_labels(lines: list[Coverage]) -> dict[tuple[str, str], str]:
    """Each line's group as people read it: "Cardiologie — socle"."""
    return {
        row["line"].group: f"{row['specialty']} — {row['phase'].lower()}"
        for row in coverage_rows(lines)
    }


def coverage_rows(lines: list[Coverage]) -> list[dict]:
    """The opening pages' rows: each coverage line with its DES and phase (labels and
    ids, for the link to their posts)."""
    specialties = {
        code: (pk, label)
        for code, pk, label in Specialty.objects.filter(
            code__in={c.group[0] for c in lines}
        ).values_list("code", "pk", "label")
    }
    phases = {
        code: (pk, label)
        for code, pk, label in Phase.objects.values_list("code", "pk", "label")
    }
    rows = []
    for c in lines:
        specialty_id, specialty = specialties.get(c.group[0], (None, c.group[0]))
        phase_id, phase = phases.get(c.group[1], (None, c.group[1]))
        rows.append(
            {
                "specialty": specialty,
                "phase": phase,
                "filters": f"&specialty={specialty_id}&phase={phase_id}",
                "line": c,
            }
        )
    return rows


def visible_openings(user) -> QuerySet[PostOpening]:
    """Openings of the perimeter: the region's ARS, the subdivision's registry and
    coordinators, the State."""
    rules = line_rules()
    rules.pop(PerimeterKind.SELF)
    rules[PerimeterKind.SPECIALTY_IN_SUBDIVISION] = lambda f: Q(
        subdivision_id=f.subdivision_id
    )
    return PostOpening.objects.filter(perimeter_q(user, rules)).select_related(
        "semester", "subdivision__region", "signed_by"
    )


def visible_call_lists(user) -> QuerySet[CallList]:
    """Call lists of the perimeter (same reach as the semester activity, the resident
    excepted: she reads her own place on her page)."""
    rules = line_rules()
    rules.pop(PerimeterKind.SELF)
    # A coordinator reads the lists of her DES, and of the choice group it is in.
    rules[PerimeterKind.SPECIALTY_IN_SUBDIVISION] = lambda f: (
        Q(subdivision_id=f.subdivision_id)
        & (
            Q(specialty_id=f.specialty_id)
            | Q(
                group__in=ChoiceGroupMember.objects.filter(
                    specialty_id=f.specialty_id
                ).values("group_id")
            )
        )
    )
    return (
        CallList.objects.filter(perimeter_q(user, rules))
        .select_related(
            "semester", "subdivision__region", "specialty", "group", "phase"
        )
        .annotate(size=Count("entries"))
    )


# What a resident's comparable rank is computed from: her id, cohort, kind of
# ranking, national rank and (2024) percentage position.
RANK_FIELDS = ("pk", "cohort", "ranking_kind", "national_rank", "rank_percentage")


def comparable_ranks(rows) -> dict[int, float | None]:
    """Each resident's national ranking as a position in her cohort, between 0 and 1
    (lower first), comparable across cohorts: the 2024 percentage as it is; an ECN
    rank (until 2023) or a rank in the specialty group (2025 on) as its place among
    the ranks SIIMOP holds for that cohort and kind of ranking (equal ranks, equal
    places). `rows`: the residents' RANK_FIELDS values; one query per cohort reads
    its ranks from the index (cohort, kind, rank)."""
    rows = list(rows)
    cohorts = {
        (cohort, kind)
        for _pk, cohort, kind, rank, percentage in rows
        if rank is not None and percentage is None
    }
    held = {
        (cohort, kind): list(
            Resident.objects.filter(
                cohort=cohort, ranking_kind=kind, national_rank__isnull=False
            )
            .order_by("national_rank")
            .values_list("national_rank", flat=True)
        )
        for cohort, kind in cohorts
    }
    ranks: dict[int, float | None] = {}
    for pk, cohort, kind, rank, percentage in rows:
        if percentage is not None:
            ranks[pk] = float(percentage) / 100
        elif rank is not None:
            ranks_held = held[(cohort, kind)]
            ranks[pk] = bisect_left(ranks_held, rank) / len(ranks_held)
        else:
            ranks[pk] = None
    return ranks


def visible_choice_groups(user) -> QuerySet[ChoiceGroup]:
    """The groups of the subdivisions in reach: the region's ARS, the subdivision's
    registry and coordinators; DGOS and UNESS, all."""
    rules = line_rules()
    rules.pop(PerimeterKind.SELF)
    rules[PerimeterKind.SPECIALTY_IN_SUBDIVISION] = lambda f: Q(
        subdivision_id=f.subdivision_id
    )
    return (
        ChoiceGroup.objects.filter(perimeter_q(user, rules))
        .select_related("subdivision__region")
        .prefetch_related("specialties")
    )


def ars_list_changes(call_list: CallList) -> list[ActivityLine]:
    """The ARS's decisions on the list's residents, with their reasons: those it put
    hors choix and those it added (their semester activity says so)."""
    specialties = (
        ChoiceGroupMember.objects.filter(group_id=call_list.group_id).values(
            "specialty_id"
        )
        if call_list.group_id
        else [call_list.specialty_id]
    )
    return list(
        ActivityLine.objects.filter(
            semester_id=call_list.semester_id,
            subdivision_id=call_list.subdivision_id,
            specialty_id__in=specialties,
            phase_id=call_list.phase_id,
            source=ActivitySource.ARS,
        ).select_related("resident__person")
    )


def call_list_entries(call_list: CallList) -> list[CallListEntry]:
    """The list's places in order, each with `specialty_label`: the resident's DES
    (what a choice group's list shows next to her name)."""
    entries = list(
        call_list.entries.select_related("resident__person").order_by("position")
    )
    labels = {}
    if call_list.group_id:
        labels = dict(
            ActivityLine.objects.filter(
                semester_id=call_list.semester_id,
                subdivision_id=call_list.subdivision_id,
                resident_id__in=call_list.entries.values("resident_id"),
            ).values_list("resident_id", "specialty__label")
        )
    for entry in entries:
        entry.specialty_label = labels.get(entry.resident_id, "")
    return entries


def my_call_place(user, semester) -> CallListEntry | None:
    """The resident's place on her published call list for the semester."""
    return (
        CallListEntry.objects.filter(
            resident__person__user=user,
            call_list__semester=semester,
            call_list__status__in=[CallListStatus.PUBLISHED, CallListStatus.FROZEN],
        )
        .select_related("call_list__specialty", "call_list__group", "call_list__phase")
        .annotate(size=Count("call_list__entries"))
        .first()
    )


def opinion_specialties(user, opening: PostOpening) -> list[Specialty]:
    """The DES whose coordinator she is in the opening's subdivision (today)."""
    if not user.is_authenticated:
        return []
    ids = (
        Function.objects.filter(
            active_on(timezone.localdate()),
            person__user=user,
            role=Role.COORDINATOR,
            subdivision_id=opening.subdivision_id,
        )
        .exclude(specialty=None)
        .values("specialty_id")
    )
    return list(Specialty.objects.filter(pk__in=ids).order_by("label"))


def opening_lock(post: Post) -> str | None:
    """The refusal to change a post once its subdivision's decree is signed."""
    signed = PostOpening.objects.filter(
        semester_id=post.semester_id,
        subdivision_id=post.training_site.subdivision_id,
    ).exclude(status=OpeningStatus.DRAFT)
    if not signed.exists():
        return None
    return _(
        "L'arrêté d'ouverture des postes de %(subdivision)s pour %(semester)s est "
        "signé : ses postes ne changent plus."
    ) % {"subdivision": post.training_site.subdivision, "semester": post.semester}


@dataclass(frozen=True)
class RegionCoverage:
    """A region's DES over its subdivisions: the rule is met when each phase is."""

    region: str
    specialty: str
    choosing: int
    needed: int
    opened: int
    phases_unmet: int

    @property
    def met(self) -> bool:
        return self.phases_unmet == 0

    @property
    def ratio(self) -> float | None:
        return self.opened / self.choosing if self.choosing else None


def national_coverage(semester: Semester) -> list[RegionCoverage]:
    """The 107 % rule per region and DES, nationally, in three grouped queries (the
    residents who choose, the posts opened, the mixed posts' other DES) and the
    regions' rules: what DGOS reads. A mixed post counts in each DES it is open to,
    a coupled pair once."""
    choosing: dict[str, dict] = defaultdict(dict)
    for row in (
        ActivityLine.objects.filter(semester=semester, kind__in=COUNTED_IN_NEEDS)
        .exclude(specialty=None)
        .exclude(phase=None)
        .order_by()
        .values("subdivision__region__name", "specialty__code", "phase__code")
        .annotate(n=Count("pk"))
    ):
        group = (row["specialty__code"], row["phase__code"])
        choosing[row["subdivision__region__name"]][group] = row["n"]
    posts = Post.objects.filter(semester=semester, coupled_from__isnull=True).order_by()
    opened: dict[str, list[OpenedPost]] = defaultdict(list)
    for row in posts.values(
        "training_site__subdivision__region__name", "specialty__code", "phase__code"
    ).annotate(n=Sum("seats")):
        opened[row["training_site__subdivision__region__name"]].append(
            OpenedPost(
                id="",
                groups=((row["specialty__code"], row["phase__code"]),),
                seats=row["n"],
            )
        )
    for row in (
        posts.filter(shared_specialties__isnull=False)
        .values(
            "training_site__subdivision__region__name",
            "shared_specialties__code",
            "phase__code",
        )
        .annotate(n=Sum("seats"))
    ):
        opened[row["training_site__subdivision__region__name"]].append(
            OpenedPost(
                id="",
                groups=((row["shared_specialties__code"], row["phase__code"]),),
                seats=row["n"],
            )
        )
    labels = dict(Specialty.objects.values_list("code", "label"))
    rules = _region_rules("region__name")  # each region's own (one query)
    lines = []
    for region in sorted(set(choosing) | set(opened)):
        per_des: dict[str, list[Coverage]] = defaultdict(list)
        for c in coverage(
            choosing.get(region, {}),
            opened.get(region, []),
            *rules.get(region, ({}, Rule())),
        ):
            per_des[c.group[0]].append(c)
        for code, phases in per_des.items():
            lines.append(
                RegionCoverage(
                    region=region,
                    specialty=labels.get(code, code),
                    choosing=sum(c.choosing for c in phases),
                    needed=sum(c.needed for c in phases),
                    opened=sum(c.opened for c in phases),
                    phases_unmet=sum(1 for c in phases if not c.met),
                )
            )
    return sorted(lines, key=lambda line: (line.region, line.specialty))


def declaration_deadline(subdivision, semester) -> DeclarationDeadline | None:
    return DeclarationDeadline.objects.filter(
        subdivision=subdivision, semester=semester
    ).first()


def visible_hostings(user) -> QuerySet[InterChuHosting]:
    """InterCHU arrivals, seen from the host side: its region's ARS, its registry, the
    coordinator of the DES there, the State."""
    rules = {
        PerimeterKind.REGION: lambda f: Q(host_subdivision__region_id=f.region_id),
        PerimeterKind.SUBDIVISION: lambda f: Q(host_subdivision_id=f.subdivision_id),
        PerimeterKind.SPECIALTY_IN_SUBDIVISION: lambda f: Q(
            host_subdivision_id=f.subdivision_id, specialty_id=f.specialty_id
        ),
    }
    return InterChuHosting.objects.filter(perimeter_q(user, rules)).select_related(
        "situation__resident__person",
        "situation__resident__subdivision",
        "host_subdivision__region",
        "specialty",
    )
