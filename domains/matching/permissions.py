"""Who may do what in a matching campaign: asked by every write service (issue 18).

- A campaign and its rounds (opening, computing, publishing, hearings, corrections):
  the ARS of the campaign's region.
- A candidacy (her file, her wishes): the resident herself.
- A ranking: the supervisor (RTS) or a practitioner (MSU) of the post's training site.
- Reminders: whoever follows the campaign and reminds (the ARS of the region, the
  faculty registry of one of its subdivisions).
Superusers and the platform (`SYSTEM`) may everything.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from domains.people.permissions import require
from domains.people.roles import Role
from domains.referential.perimeters import campaign_perimeter

# The matching permissions each role's group carries (registered from
# MatchingConfig.ready()): the ARS runs campaigns; faculty registries follow and remind
# the residents of their subdivision; coordinators, DGOS and UNESS read; residents
# apply; supervisors and practitioners rank.
_READ_MATCHING = ["matching.view_matchingcampaign"]
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.DGOS: _READ_MATCHING,
    Role.UNESS_ADMIN: _READ_MATCHING,
    Role.ARS: [
        *_READ_MATCHING,
        "matching.add_matchingcampaign",
        "matching.change_matchingcampaign",
        "matching.change_candidacy",
    ],
    Role.FACULTY_REGISTRY: [*_READ_MATCHING, "matching.change_candidacy"],
    Role.COORDINATOR: _READ_MATCHING,
    Role.SITE_SUPERVISOR: ["matching.add_rank"],
    Role.PRACTITIONER: ["matching.add_rank"],
    Role.RESIDENT: ["matching.add_wish"],
}

RUN_CAMPAIGN = "matching.change_matchingcampaign"
CREATE_CAMPAIGN = "matching.add_matchingcampaign"
WISH = "matching.add_wish"
RANK = "matching.add_rank"
REMIND = "matching.change_candidacy"


def campaign_region(campaign) -> list:
    """The campaign's perimeter for running it: its region (its ARS)."""
    return [campaign.region]


def candidacy_perimeter(candidacy) -> list:
    """A candidacy is the resident's own."""
    return [candidacy.resident.person]


def offer_perimeter(offer) -> list:
    """A post offered in a round: its training site (its RTS and MSU rank)."""
    return [offer.post.training_site]


def require_create_campaign(by, region) -> None:
    require(
        by,
        CREATE_CAMPAIGN,
        [region],
        refusal=_("Seule l'ARS de la région conduit cette campagne."),
    )


def require_run_campaign(by, campaign) -> None:
    require(
        by,
        RUN_CAMPAIGN,
        campaign_region(campaign),
        refusal=_("Seule l'ARS de la région conduit cette campagne."),
    )


def require_own_candidacy(by, candidacy) -> None:
    require(
        by,
        WISH,
        candidacy_perimeter(candidacy),
        refusal=_("Cette candidature n'est pas la vôtre."),
    )


def require_rank(by, offer) -> None:
    require(
        by,
        RANK,
        offer_perimeter(offer),
        refusal=_("Seuls le responsable et les maîtres de stage du terrain classent."),
    )


def require_remind(by, campaign) -> None:
    require(
        by,
        REMIND,
        campaign_perimeter(campaign),  # its ARS, its subdivisions' faculties
        refusal=_("Votre fonction ne vous permet pas de relancer dans cette campagne."),
    )
