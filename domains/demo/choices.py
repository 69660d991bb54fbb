"""The coming semester's activity in Lyon, written through the choices services: the
registry has prefilled it and validated most lines; the demo resident's still waits
for her confirmation. The ARS has begun Lyon's post opening, makes Lyon's medical
specialties choose together, and applies its own rule to general practice (its
largest DES): the residents choosing + 30 above 200, instead of 107 %."""

from decimal import Decimal

from domains.choices.models import ActivityLine
from domains.choices.selectors import coming_semester
from domains.choices.services import (
    activity_prefill,
    activity_validate,
    choice_group_save,
    opening_copy_previous,
    opening_rule_save,
    opening_start,
)
from domains.people.models import User
from domains.people.roles import Role
from domains.referential.models import Specialty, Subdivision

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
