"""The coming semester's activity in Lyon, written through the choices services: the
registry has prefilled it and validated most lines; the demo resident's still waits
for her confirmation. The ARS has begun Lyon's post opening."""

from domains.choices.models import ActivityLine
from domains.choices.selectors import coming_semester
from domains.choices.services import (
    activity_prefill,
    activity_validate,
    opening_copy_previous,
    opening_start,
)
from domains.people.models import User
from domains.people.roles import Role
from domains.referential.models import Subdivision

from .accounts import demo_email


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
    return {
        "activité semestrielle (Lyon) : lignes": written,
        "activité semestrielle (Lyon) : validées": validated,
        "ouverture des postes (Lyon) : postes repris": copied,
        "ouverture des postes (Lyon) : postes non repris": len(skipped),
    }
