"""Attach a person found in another source to what that source says of her."""

from django.db import transaction
from django.utils import timezone

from domains.people.models import LegacySystem
from domains.people.services import function_grant, legacy_identifier_add


@transaction.atomic  # a refused identifier takes back the function
def person_attach(*, person, sides_id: str, site, role: str, by) -> bool:
    """Her function on the site, then her SIDES NG identifier (the function puts her
    in the perimeter of who imports); True if anything changed."""
    changed = False
    if (
        site is not None
        and role
        and not person.functions.filter(
            role=role, training_site=site, end_date__isnull=True
        ).exists()
    ):
        function_grant(
            person=person,
            role=role,
            start_date=timezone.localdate(),
            training_site=site,
            by=by,
        )
        changed = True
    if (
        sides_id
        and not person.legacy_ids.filter(
            system=LegacySystem.SIDES_NG, value=sides_id
        ).exists()
    ):
        legacy_identifier_add(
            person=person, system=LegacySystem.SIDES_NG, value=sides_id, by=by
        )
        changed = True
    return changed
