"""Writes of UNESS Assistance: teams and routing, filing a request."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django_q.tasks import async_task
from helpdesk.models import Queue, Ticket

from domains.referential.models import Subdivision

from .models import Category, Route, Team, TicketContext, Tier

LEVEL_2_SLUG = "uness-niveau-2"


def _queue(slug: str, title: str) -> Queue:
    return Queue.objects.get_or_create(slug=slug, defaults={"title": title})[0]


@transaction.atomic
def teams_setup() -> int:
    """One level-1 team per subdivision, routed every category by default, and the
    national level-2 team. Idempotent: existing teams and routes are kept."""
    Team.objects.get_or_create(
        tier=Tier.LEVEL_2,
        subdivision=None,
        defaults={
            "name": "UNESS — niveau 2",
            "queue": _queue(LEVEL_2_SLUG, "UNESS — niveau 2"),
        },
    )
    created = 0
    for subdivision in Subdivision.objects.order_by("code"):
        team, _new = Team.objects.get_or_create(
            tier=Tier.LEVEL_1,
            subdivision=subdivision,
            defaults={
                "name": f"{subdivision.name} — niveau 1",
                "queue": _queue(
                    f"n1-{subdivision.code.lower()}"[:50],
                    f"{subdivision.name} — niveau 1",
                ),
            },
        )
        for category in Category.values:
            created += Route.objects.get_or_create(
                subdivision=subdivision, category=category, defaults={"team": team}
            )[1]
    return created


def level_2_team() -> Team:
    return Team.objects.get(tier=Tier.LEVEL_2)


@transaction.atomic
def request_file(
    *,
    title: str,
    description: str,
    category: str,
    email: str,
    subdivision: Subdivision | None = None,
    person=None,
    application: str = "",
    page: str = "",
    function: str = "",
) -> Ticket:
    """Files a request in the level-1 team of its (subdivision, category), or at
    level 2 when no subdivision is known; the person gets an acknowledgement."""
    errors = {}
    if not title.strip():
        errors["title"] = _("Donnez un titre à votre demande.")
    if not description.strip():
        errors["description"] = _("Décrivez votre demande.")
    if category not in Category.values:
        errors["category"] = _("Choisissez une catégorie.")
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Saisissez une adresse e-mail valide.")
    if errors:
        raise ValidationError(errors)
    route = (
        Route.objects.select_related("team__queue")
        .filter(subdivision=subdivision, category=category)
        .first()
        if subdivision
        else None
    )
    team = route.team if route else level_2_team()
    ticket = Ticket.objects.create(
        title=title.strip()[:200],
        queue=team.queue,
        submitter_email=email,
        description=description.strip(),
    )
    TicketContext.objects.create(
        ticket=ticket,
        category=category,
        tier=team.tier,
        subdivision=subdivision,
        person=person,
        application=application[:100],
        page=page[:500],
        function=function[:300],
    )
    transaction.on_commit(
        lambda: async_task("assistance.tasks.send_acknowledgement", ticket.pk)
    )
    return ticket
