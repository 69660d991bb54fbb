"""Tiles of the homes that count a screen's list: the figure is the list's own count
under the same filters (its selector and its filter set), so a tile never says
"0 places" while the list it opens shows three."""

from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import reverse

from .registry import Card, registry


def filtered_list(
    request, slug: str, filters: dict[str, object] | None = None
) -> tuple[QuerySet, str] | None:
    """(the rows the screen's list shows under these filters, the list's URL), or
    None when the active function may not open the list."""
    screen = registry.screens[slug]
    if not request.actor.has_perm(screen.permission("view")):
        return None
    params = {name: str(value) for name, value in (filters or {}).items()}
    query = QueryDict(mutable=True)
    query.update(params)
    rows = screen.filterset_class(
        query, queryset=screen.selector(request.user), request=request
    ).qs
    url = reverse(f"cockpit:{screen.url_name}_list")
    return rows, f"{url}?{urlencode(params)}" if params else url


def list_card(
    request,
    slug: str,
    title: str,
    *,
    filters: dict[str, object] | None = None,
    description: str = "",
    group: str = "",
    warn: bool = False,
) -> list[Card]:
    """[the tile counting the list's rows], or [] when the list is closed to the
    active function. `warn`: rows are work waiting (orange, green at 0)."""
    found = filtered_list(request, slug, filters)
    if found is None:
        return []
    rows, url = found
    count = rows.count()
    level = ("warning" if count else "success") if warn else "info"
    return [
        Card(
            title=title,
            value=count,
            description=description,
            url=url,
            level=level,
            group=group,
        )
    ]
