"""Who may do what in UNESS Assistance: the services ask these, whoever calls them.

An agent works the tickets of her teams (level 1: her subdivision's; level 2: the
national team, with UNESS admins); the person asking replies to and closes her own
requests; UNESS admins set the service's periods. A refusal is a PermissionDenied with
a French sentence.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from domains.people.roles import Role
from domains.people.selectors import active_functions

from .models import Team, TicketContext, Tier
from .selectors import NATIONAL_ROLES, worked_tickets

# The assistance permissions each role's group carries (registered from
# AssistanceConfig.ready()). Agents work the tickets of their teams (django-helpdesk's
# model, which this app runs); UNESS admins set the service's periods; the statistics
# are read by the agents, the ARS (for her subdivisions), DGOS and UNESS.
_SUPPORT = [
    "helpdesk.view_ticket",
    "helpdesk.change_ticket",
    "assistance.view_statistics",
]
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.DGOS: ["assistance.view_statistics"],
    Role.UNESS_ADMIN: [
        *[f"assistance.{a}_period" for a in ("add", "change", "delete", "view")],
        "assistance.view_statistics",
    ],
    Role.ARS: ["assistance.view_statistics"],
    Role.SUPPORT_L1: _SUPPORT,
    Role.SUPPORT_L2: _SUPPORT,
}


def is_member(user, team: Team) -> bool:
    functions = active_functions(user, all_functions=True)
    if team.tier == Tier.LEVEL_2:
        return user.is_superuser or any(f.role in NATIONAL_ROLES for f in functions)
    return any(
        f.role == Role.SUPPORT_L1 and f.subdivision_id == team.subdivision_id
        for f in functions
    )


def handles(user, ticket) -> bool:
    """The ticket is in one of her teams' queues now (one her team handed on is only
    read)."""
    return worked_tickets(user).filter(pk=ticket.pk).exists()


def require_handles(by, ticket) -> None:
    if not handles(by, ticket):
        raise PermissionDenied(_("Cette demande n'est pas dans vos équipes."))


def require_writes_answers(by, team: Team | None) -> None:
    """A team's canned answers are written by its agents, national ones by UNESS."""
    if team is None:
        if not (
            by.is_superuser
            or any(f.role in NATIONAL_ROLES for f in active_functions(by))
        ):
            raise PermissionDenied(
                _("Les réponses nationales sont écrites par l'UNESS.")
            )
    elif not is_member(by, team):
        raise PermissionDenied(_("Vous n'êtes pas de cette équipe."))


def require_own_request(by, ticket) -> None:
    if not TicketContext.objects.filter(ticket=ticket, person__user=by).exists():
        raise PermissionDenied(_("Cette demande n'est pas la vôtre."))


def require_sets_periods(by) -> None:
    if not (
        by.is_superuser or any(f.role == Role.UNESS_ADMIN for f in active_functions(by))
    ):
        raise PermissionDenied(_("Les périodes sont définies par l'UNESS."))
