"""Writes of the cockpit itself: saved filters and list preferences."""

from urllib.parse import parse_qsl, urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .actor import Actor
from .models import ListPreference, SavedFilter
from .tables import PER_PAGE_CHOICES

# Paging and sorting are not criteria: a saved filter keeps only what selects rows.
NOT_CRITERIA = {"page", "sort", "per_page"}


def clean_query(query: str) -> str:
    return urlencode(
        [(k, v) for k, v in parse_qsl(query) if k not in NOT_CRITERIA and v]
    )


@transaction.atomic
def saved_filter_create(
    *, actor: Actor, screen: str, name: str, query: str, shared: bool
) -> SavedFilter:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Donnez un nom à ce filtre.")})
    query = clean_query(query)
    if not query:
        raise ValidationError(
            {"query": _("Choisissez au moins un critère avant d'enregistrer.")}
        )
    if SavedFilter.objects.filter(owner=actor.user, screen=screen, name=name).exists():
        raise ValidationError(
            {
                "name": _("Vous avez déjà un filtre « %(name)s » sur cet écran.")
                % {"name": name}
            }
        )
    function = actor.function
    return SavedFilter.objects.create(
        owner=actor.user,
        screen=screen,
        name=name,
        query=query,
        shared=shared and function is not None,
        team_role=function.role if function else "",
        team_key=function.perimeter_key if function else "",
    )


@transaction.atomic
def saved_filter_delete(*, actor: Actor, saved_filter: SavedFilter) -> None:
    if saved_filter.owner_id != actor.user.pk:
        raise PermissionDenied(_("Seul l'auteur d'un filtre peut le supprimer."))
    saved_filter.delete()


@transaction.atomic
def list_preference_save(
    *, user, screen: str, hidden_columns: list[str], per_page: int
) -> ListPreference:
    if per_page not in PER_PAGE_CHOICES:
        raise ValidationError({"per_page": _("Nombre de lignes par page non proposé.")})
    preference, _created = ListPreference.objects.update_or_create(
        user=user,
        screen=screen,
        defaults={"hidden_columns": sorted(set(hidden_columns)), "per_page": per_page},
    )
    return preference
