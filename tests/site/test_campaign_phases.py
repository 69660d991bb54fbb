"""A campaign's announcement states phases that never end before they start
(issue 19: 'Avis et visites' ended at the midnight before the filing closed)."""

import datetime as dt

import pytest
from django.utils import timezone

from domains.accreditation.models import AccreditationCampaign
from siimop_site.campaigns import kind_of
from tests.factories.accreditation import bare_campaign

pytestmark = pytest.mark.django_db


def test_opinions_due_the_day_the_filing_closes_end_that_evening():
    closes = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() + dt.timedelta(days=10), dt.time(18))
    )
    campaign = bare_campaign()
    campaign.filing_closes, campaign.opinions_due = closes, closes.date()
    phases = kind_of(AccreditationCampaign).phases(campaign)
    for phase in phases:
        if phase.start and phase.end:
            assert phase.end >= phase.start, phase.label
    opinions = next(p for p in phases if p.label == "Avis et visites")
    assert timezone.localtime(opinions.end).time() == dt.time(23, 59)


def test_the_announcement_states_one_status_the_badge(client):
    """Its text said 'ouverte' next to a 'Décisions publiées' badge."""
    from domains.accreditation.models import RequestStatus
    from siimop_site.announcements import accreditation_campaign_announce
    from siimop_site.models import HomePage, NewsIndexPage
    from siimop_site.pages import publish
    from tests.conftest import page_text
    from tests.factories.accreditation import make_world

    publish(
        HomePage.objects.get(), NewsIndexPage(title="Actualités", slug="actualites")
    )
    world = make_world()
    page = accreditation_campaign_announce(None, campaign=world.campaign)
    request = world.new_request()
    request.status = RequestStatus.DECIDED
    request.save()
    text = page_text(client.get(page.url))
    assert "Décisions publiées" in text
    assert "est ouverte" not in text and "Dépôts ouverts" not in text
    assert "Son état du jour" in text
