"""Who may do what to an accreditation campaign and its requests.

A campaign is run by the ARS agents of its region. On a request, a person plays the
parts (workflow.RTS, ARS, REGISTRY, COORDINATOR, REPRESENTATIVE) her active function
gives her on the request's training site, subdivision, specialty and campaign region;
the state machine (workflow.ACTIONS) says which parts take which action. Every write
service asks here first, with the actor it was given (`by`), so a page, a django-q2
task or the demo seed get the same answer; the cockpit screens read the same
perimeters (`campaign_perimeter`, `request_perimeter`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from domains.people.roles import Role
from domains.people.selectors import active_functions
from domains.referential.perimeters import campaign_perimeter
from domains.referential.permissions import site_perimeter

from . import workflow

# The accreditation permissions each role's group carries (registered from
# AccreditationConfig.ready()): the ARS runs the campaigns; everyone concerned reads
# them within his perimeter (requests and their dossiers); the faculty registry
# reminds the RTS; RTS file, coordinators and residents' representatives give opinions
# (the services check who does what on which request). RTS and DAM follow their sites'
# requests on their own page (Mes agréments), not through the campaigns screen.
_READ_ACCREDITATION = [
    "accreditation.view_accreditationcampaign",
    "accreditation.view_accreditationrequest",
]
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.DGOS: _READ_ACCREDITATION,
    Role.UNESS_ADMIN: _READ_ACCREDITATION,
    Role.ARS: [
        *_READ_ACCREDITATION,
        "accreditation.add_accreditationcampaign",
        "accreditation.change_accreditationcampaign",
        "accreditation.change_accreditationrequest",
    ],
    Role.FACULTY_REGISTRY: [
        *_READ_ACCREDITATION,
        "accreditation.change_accreditationrequest",
    ],
    Role.COORDINATOR: [*_READ_ACCREDITATION, "accreditation.add_opinion"],
    Role.RESIDENT_REPRESENTATIVE: [*_READ_ACCREDITATION, "accreditation.add_opinion"],
    Role.SITE_SUPERVISOR: [
        "accreditation.view_accreditationrequest",
        "accreditation.add_accreditationrequest",
    ],
    Role.MEDICAL_AFFAIRS: ["accreditation.view_accreditationrequest"],
}

# --- perimeters (the cockpit screens' perimeter_objects) ------------------------------
# A campaign's is every regional campaign's (domains/referential/perimeters.py).
__all__ = ["campaign_perimeter", "request_perimeter"]


def request_perimeter(accreditation_request) -> list:
    """Where its site lies (the legal entity of its establishment included: a DAM of
    the CHU reads the requests of its hospitals' sites)."""
    return site_perimeter(accreditation_request.training_site)


# --- who is acting ---------------------------------------------------------------------


def _functions(user) -> list:
    if user is None or not user.is_authenticated or getattr(user, "is_platform", False):
        return []  # the platform itself holds no function
    return active_functions(user)


def actor_roles(user, accreditation_request) -> set[str]:
    """The parts this user plays on this request, from his active function."""
    site = accreditation_request.training_site
    roles = set()
    if user is not None and user.is_superuser:
        roles.add(workflow.ARS)
    for f in _functions(user):
        if (
            f.role == Role.ARS
            and f.region_id == accreditation_request.campaign.region_id
        ):
            roles.add(workflow.ARS)
        elif f.role == Role.SITE_SUPERVISOR and f.training_site_id == site.pk:
            roles.add(workflow.RTS)
        elif (
            f.role == Role.FACULTY_REGISTRY and f.subdivision_id == site.subdivision_id
        ):
            roles.add(workflow.REGISTRY)
        elif (
            f.role == Role.COORDINATOR
            and f.subdivision_id == site.subdivision_id
            and f.specialty_id == accreditation_request.specialty_id
        ):
            roles.add(workflow.COORDINATOR)
        elif (
            f.role == Role.RESIDENT_REPRESENTATIVE
            and f.subdivision_id == site.subdivision_id
        ):
            roles.add(workflow.REPRESENTATIVE)
    return roles


def runs_campaigns_of(user, region) -> bool:
    """ARS agents of the region run its campaigns."""
    if user is None:
        return False
    return user.is_superuser or any(
        f.role == Role.ARS and f.region_id == region.pk for f in _functions(user)
    )


def supervises(user, site) -> bool:
    """The site's supervisor (RTS), the one who files its requests."""
    return any(
        f.role == Role.SITE_SUPERVISOR and f.training_site_id == site.pk
        for f in _functions(user)
    )


# --- the questions the services ask ----------------------------------------------------


def require_region(by, region) -> None:
    """Creating a campaign in this region."""
    if not runs_campaigns_of(by, region):
        raise PermissionDenied(
            _("Vous ne conduisez pas les campagnes de cette région (%s).") % region.name
        )


def require_campaign(by, campaign) -> None:
    """Publishing a campaign, closing its filing."""
    if not runs_campaigns_of(by, campaign.region):
        raise PermissionDenied(
            _("Seule l'ARS de la région (%s) conduit cette campagne.")
            % campaign.region.name
        )


def require_supervisor(by, site) -> None:
    """Opening a request for this training site."""
    if not supervises(by, site):
        raise PermissionDenied(
            _(
                "Seul le responsable du terrain (RTS) dépose une demande pour ce terrain."
            )
        )


def require_dossier(by, accreditation_request) -> None:
    """Writing the request's dossier."""
    if workflow.RTS not in actor_roles(by, accreditation_request):
        raise PermissionDenied(_("Seul le responsable du terrain modifie ce dossier."))


def require_action(by, accreditation_request, action: str) -> set[str]:
    """Taking this action of the state machine on this request; returns the parts
    the actor plays on it."""
    roles = actor_roles(by, accreditation_request)
    rule = workflow.ACTIONS[action]
    if not rule.actors & roles:
        raise PermissionDenied(
            _("« %(action)s » n'est pas ouvert à votre fonction sur cette demande.")
            % {"action": rule.label}
        )
    return roles
