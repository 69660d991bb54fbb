"""One perimeter for every regional campaign (accreditation, matching): the ARS sees
her region's, the region's faculties and representatives all of them, a coordinator
all the accreditation campaigns of her region but only the matching campaigns that
name her specialty."""

import pytest

from domains.accreditation.selectors import visible_campaigns as accreditation_campaigns
from domains.matching.models import MatchingCampaign
from domains.matching.selectors import visible_campaigns as matching_campaigns
from domains.referential.perimeters import campaign_perimeter
from tests.factories.accreditation import bare_campaign
from tests.factories.referential import SemesterFactory, region, specialty, subdivision

pytestmark = pytest.mark.django_db


def _matching(name, region_code, *codes):
    campaign = MatchingCampaign.objects.create(
        name=name,
        region=region(region_code),
        semester=SemesterFactory(season="winter", year=2027),
    )
    campaign.specialties.set([specialty(code) for code in codes])
    return campaign


def test_each_actor_sees_the_campaigns_of_her_region_and_the_coordinator_her_specialty(
    people,
):
    lyon_accreditation = bare_campaign("84", name="Agréments ARA")
    bare_campaign("53", name="Agréments Bretagne")
    cardio = _matching("Cardiologie ARA", "84", "DES-MCA")
    _matching("Médecine générale ARA", "84", "DES-MGE")
    _matching("Cardiologie Bretagne", "53", "DES-MCA")
    ars = people.ars
    registry = people.faculty_registry
    coordinator = people.coordinator

    def names(queryset):
        return sorted(c.name for c in queryset)

    assert names(accreditation_campaigns(ars)) == ["Agréments ARA"]
    assert names(accreditation_campaigns(registry)) == ["Agréments ARA"]
    assert names(accreditation_campaigns(coordinator)) == ["Agréments ARA"]
    assert names(matching_campaigns(ars)) == [
        "Cardiologie ARA",
        "Médecine générale ARA",
    ]
    assert names(matching_campaigns(registry)) == [
        "Cardiologie ARA",
        "Médecine générale ARA",
    ]
    assert names(matching_campaigns(coordinator)) == ["Cardiologie ARA"]
    for campaign in (lyon_accreditation, cardio):
        perimeter = campaign_perimeter(campaign)
        assert region("84") in perimeter and subdivision("LYON") in perimeter
        assert region("53") not in perimeter
