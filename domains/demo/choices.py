"""The coming semester's activity in Lyon, written through the choices services: the
registry has prefilled it and validated most lines; the demo resident's still waits
for her confirmation. The ARS has begun Lyon's post opening, makes Lyon's medical
specialties choose together, and applies its own rule to general practice (its
largest DES): the residents choosing + 30 above 200, instead of 107 %. Half of Lyon's
residents have made their pre-choice; Grenoble, a step ahead, has its amphi's wishes
being entered."""

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from domains.choices import activity as a
from domains.choices.activity import CHOOSING
from domains.choices.models import ActivityLine, CallList, PreChoice, WishList
from domains.choices.selectors import coming_semester, subdivision_coverage
from domains.choices.services import (
    activity_change,
    activity_prefill,
    activity_validate,
    call_list_freeze,
    call_list_publish,
    call_lists_compute,
    choice_group_save,
    opening_copy_previous,
    opening_publish,
    opening_rule_save,
    opening_sign,
    opening_start,
)
from domains.choices.session_selectors import pre_choice_sites, session_posts
from domains.choices.session_services import choice_session_open, simulation_recompute
from domains.people.models import User
from domains.people.permissions import SYSTEM
from domains.people.roles import Role
from domains.referential.models import Phase, Post, Specialty, Subdivision
from domains.referential.services import post_open, post_update

from .accounts import demo_email

# Lyon's medical specialties, called together in one list per phase.
MEDICAL_GROUP = ("DES-MCA", "DES-PNE", "DES-NEP", "DES-HGE", "DES-MII")


def build_semester_activity(rng) -> dict[str, int]:
    semester = coming_semester()
    if semester is None:
        return {}
    registry = User.objects.get(email=demo_email(Role.FACULTY_REGISTRY))
    lyon = Subdivision.objects.get(code="LYON")
    written = activity_prefill(by=registry, subdivision=lyon, semester=semester)
    lines = ActivityLine.objects.filter(semester=semester, subdivision=lyon).exclude(
        resident__person__user__email=demo_email(Role.RESIDENT)
    )
    validated = activity_validate(
        by=registry, lines=[line for line in lines if rng.random() < 0.6]
    )
    # The ARS prepares Lyon's post opening from the current semester's posts; the
    # decree waits for the rule and the coordinators' opinions.
    ars = User.objects.get(email=demo_email(Role.ARS))
    opening = opening_start(by=ars, semester=semester, subdivision=lyon)
    copied, skipped = opening_copy_previous(by=ars, opening=opening)
    medical = list(
        Specialty.objects.filter(
            code__in=MEDICAL_GROUP,
            pk__in=ActivityLine.objects.filter(
                semester=semester, subdivision=lyon
            ).values("specialty_id"),
        )
    )
    if len(medical) >= 2:
        choice_group_save(
            by=ars,
            subdivision=lyon,
            label="Spécialités médicales",
            specialties=medical,
        )
    opening_rule_save(
        by=ars,
        region=lyon.region,
        specialty=Specialty.objects.get(code="DES-MGE"),
        ratio=Decimal("1.07"),
        threshold=200,
        extra=30,
        comment="Médecine générale : effectif + 30 au-delà de 200 internes.",
    )
    return {
        "activité semestrielle (Lyon) : lignes": written,
        "activité semestrielle (Lyon) : validées": validated,
        "ouverture des postes (Lyon) : postes repris": copied,
        "ouverture des postes (Lyon) : postes non repris": len(skipped),
        "groupe de choix (Lyon) : DES": len(medical),
    }


def build_pre_choices(rng) -> dict[str, int]:
    """Lyon's posts are not opened yet: half of its residents who choose have ranked
    a few accredited sites, the demo resident among them (the ARS reads the demand)."""
    semester = coming_semester()
    if semester is None:
        return {}
    lines = ActivityLine.objects.filter(
        semester=semester,
        subdivision__code="LYON",
        kind__in=CHOOSING,
        specialty__isnull=False,
        phase__isnull=False,
    ).select_related("subdivision", "specialty", "phase", "resident__person")
    choices = []
    for line in lines:
        mine = line.resident.person.primary_email == demo_email(Role.RESIDENT)
        if not mine and rng.random() < 0.25:
            continue
        sites = pre_choice_sites(semester, line.subdivision, line.specialty, line.phase)
        if sites:
            # Popular sites first in the list: residents want the same few services.
            picked = rng.sample(sites[: max(3, len(sites) // 2)], min(len(sites), 3))
            choices.append(
                PreChoice(
                    semester=semester,
                    resident=line.resident,
                    accreditations=[a.pk for a in picked],
                )
            )
    bulk_create_with_history(choices, PreChoice)
    return {"pré-choix (Lyon)": len(choices)}


def build_amphi(rng) -> dict[str, int]:
    """Grenoble is a step ahead: its semester activity validated, its opening decree
    signed and published (posts added where the rule asked for more), its call lists
    frozen, and the wishes of its largest list being entered: the ARS reads the
    simulation. Residents' wishes are written as they would have entered them."""
    semester = coming_semester()
    if semester is None:
        return {}
    grenoble = Subdivision.objects.get(code="GRENOBLE")
    ars = User.objects.get(email=demo_email(Role.ARS))
    activity_prefill(by=SYSTEM, subdivision=grenoble, semester=semester)
    lines = ActivityLine.objects.filter(semester=semester, subdivision=grenoble)
    for line in lines.filter(kind__in=CHOOSING).select_related(
        "subdivision", "specialty", "phase"
    ):
        if (
            line.specialty
            and line.phase
            and not pre_choice_sites(semester, grenoble, line.specialty, line.phase)
        ):
            # No site of Grenoble is accredited for her DES and phase: the ARS
            # places her after an interview.
            activity_change(
                by=SYSTEM,
                line=line,
                kind=a.OUT_OF_CHOICE,
                reason="Aucun terrain agréé pour son DES et sa phase à Grenoble : "
                "placée par l'ARS après entretien.",
            )
    activity_validate(by=SYSTEM, lines=list(lines))
    opening = opening_start(by=ars, semester=semester, subdivision=grenoble)
    opening_copy_previous(by=ars, opening=opening)
    added = _open_what_is_missing(ars, grenoble, semester)
    try:
        opening_sign(
            by=ars,
            opening=opening,
            decree_reference="ARS-ARA-2027-038",
            commission_date=timezone.localdate(),
            minutes="Commission des besoins réunie avec les représentants des internes.",
        )
    except ValidationError:
        return {"ouverture des postes (Grenoble) : règle non tenue": 1}
    opening_publish(by=ars, opening=opening)
    call_lists_compute(by=ars, subdivision=grenoble, semester=semester)
    lists = list(CallList.objects.filter(semester=semester, subdivision=grenoble))
    for call_list in lists:
        call_list_publish(by=ars, call_list=call_list)
        call_list_freeze(by=ars, call_list=call_list)
    largest = max(lists, key=lambda c: c.entries.count(), default=None)
    if largest is None:
        return {}
    session = choice_session_open(
        by=ars,
        call_list=largest,
        wishes_until=timezone.now() + timedelta(days=10),
    )
    posts = [p.id for p in session_posts(largest)]
    wishes = [
        WishList(
            session=session,
            resident_id=resident_id,
            posts=rng.sample(posts, min(len(posts), rng.randint(1, 6))),
        )
        for resident_id in largest.entries.values_list("resident_id", flat=True)
        if rng.random() < 0.8
    ]
    bulk_create_with_history(wishes, WishList)
    simulation_recompute(session)
    return {
        "ouverture des postes (Grenoble) : postes ajoutés pour la règle": added,
        "listes d'appel (Grenoble) : arrêtées": len(lists),
        "amphi (Grenoble) : internes ayant saisi leurs vœux": len(wishes),
    }


def _open_what_is_missing(ars, subdivision, semester) -> int:
    """Seats added on the accredited sites of each DES and phase short of posts."""
    added = 0
    for line in subdivision_coverage(subdivision, semester):
        if line.met:
            continue
        specialty = Specialty.objects.get(code=line.group[0])
        phase = Phase.objects.get(code=line.group[1])
        missing = line.missing
        for accreditation in pre_choice_sites(semester, subdivision, specialty, phase):
            if missing <= 0:
                break
            existing = Post.objects.filter(
                semester=semester,
                training_site=accreditation.training_site,
                specialty=specialty,
                phase=phase,
            ).first()
            try:
                if existing:
                    post_update(post=existing, seats=existing.seats + missing, by=ars)
                else:
                    post_open(
                        semester=semester,
                        training_site=accreditation.training_site,
                        specialty=specialty,
                        phase=phase,
                        seats=missing,
                        by=ars,
                    )
            except ValidationError:
                continue  # above the site's maximum: the next site
            added += missing
            missing = 0
    return added
