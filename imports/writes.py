"""Writes the domains do not offer a service for yet, kept here so that the import
still asks the permission and leaves the history (domains.cockpit.audit)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from domains.choices.models import ActivityLine
from domains.cockpit.audit import audited_bulk_create, audited_bulk_update

from .permissions import require_import

# bulk_update leaves auto_now alone: updated_at is set here.
ACTIVITY_FIELDS = [
    "kind",
    "specialty",
    "phase",
    "reason",
    "source",
    "status",
    "updated_at",
]


@transaction.atomic
def activity_lines_import(
    *, new: list[ActivityLine], changed: list[ActivityLine], by
) -> int:
    """Imported semester activity lines (declared: the registry validates them),
    each asked on its subdivision and region; history written in bulk."""
    for subdivision in {line.subdivision for line in [*new, *changed]}:
        require_import(
            by,
            "activite",
            [subdivision, subdivision.region],
            _(
                "Votre fonction ne vous permet pas d'importer l'activité semestrielle "
                "de %(name)s."
            )
            % {"name": subdivision.name},
        )
    now = timezone.now()
    for line in changed:
        line.updated_at = now
    audited_bulk_create(ActivityLine, new, by=by)
    audited_bulk_update(ActivityLine, changed, ACTIVITY_FIELDS, by=by)
    return len(new) + len(changed)
