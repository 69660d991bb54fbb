from django.db.models import Q, QuerySet

from .actor import Actor
from .models import ListPreference, SavedFilter
from .registry import registry
from .tables import DEFAULT_PER_PAGE


def visible_saved_filters(actor: Actor, screen: str) -> QuerySet[SavedFilter]:
    """Mine, and those my team shared (same role on the same perimeter)."""
    mine = Q(owner=actor.user)
    if actor.function is None:
        return SavedFilter.objects.filter(mine, screen=screen)
    team = Q(
        shared=True,
        team_role=actor.function.role,
        team_key=actor.function.perimeter_key,
    )
    return SavedFilter.objects.filter(mine | team, screen=screen).select_related(
        "owner"
    )


def list_preference(user, screen: str) -> ListPreference:
    """The person's columns and page size for a list; until she chooses, the table's
    own default (a wide list hides the columns least needed, see
    CockpitTable.default_hidden)."""
    found = ListPreference.objects.filter(user=user, screen=screen).first()
    if found:
        return found
    declared = registry.screens.get(screen)
    hidden = getattr(declared.table_class, "default_hidden", ()) if declared else ()
    return ListPreference(
        user=user, screen=screen, per_page=DEFAULT_PER_PAGE, hidden_columns=list(hidden)
    )
