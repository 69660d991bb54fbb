from django.db.models import Q, QuerySet

from .actor import Actor
from .models import ListPreference, SavedFilter
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
    found = ListPreference.objects.filter(user=user, screen=screen).first()
    return found or ListPreference(user=user, screen=screen, per_page=DEFAULT_PER_PAGE)
