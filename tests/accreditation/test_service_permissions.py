"""The accreditation services ask who acts (permissions.py), whatever calls them: an
ARS of another region, an RTS of another site, a coordinator of another specialty
are refused (PermissionDenied) and nothing is written; the rightful actor is not."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from domains.accreditation import permissions, services
from domains.accreditation.models import (
    AccreditationCampaign,
    AccreditationRequest,
    Attachment,
    Opinion,
    RequestStatus,
    Transition,
)
from domains.cockpit.bulk import RowRefused
from domains.referential.models import Phase
from tests.factories.accreditation import CARDIO, fill, make_world
from tests.factories.matching import pdf
from tests.factories.referential import (
    phase,
    region,
    specialty,
    subdivision,
)

pytestmark = pytest.mark.django_db


def _fresh(accreditation_request):
    return AccreditationRequest.objects.get(pk=accreditation_request.pk)


def test_an_ars_of_another_region_runs_nothing_of_this_campaign():
    w = make_world()
    today = timezone.localdate()
    with pytest.raises(PermissionDenied, match="Vous ne conduisez pas les campagnes"):
        services.campaign_create(
            by=w.other_ars,
            region=region("84"),
            year=today.year + 1,
            filing_opens=today,
            filing_closes=timezone.now() + dt.timedelta(days=5),
            opinions_due=today + dt.timedelta(days=10),
            commission_date=today + dt.timedelta(days=12),
            decisions_by=today + dt.timedelta(days=14),
            effective_from=today + dt.timedelta(days=300),
            specialties=[specialty(CARDIO)],
            phases=list(Phase.objects.all()),
        )
    assert AccreditationCampaign.objects.count() == 1
    draft = w.new_request()
    accreditation_request = w.filed(specialty_code="DES-MGE", type="complementary")
    with pytest.raises(RowRefused) as batch:
        services.requests_remind(by=w.other_ars, accreditation_requests=[draft])
    assert isinstance(batch.value.__cause__, PermissionDenied)
    assert f"« {draft} » : « Relancer le responsable » n'est pas ouvert" in str(
        batch.value
    )
    refused = {
        "reopen": lambda: services.request_reopen(
            by=w.other_ars,
            accreditation_request=_fresh(accreditation_request),
            until=timezone.now() + dt.timedelta(days=3),
            reason="Retard.",
        ),
        "close filing": lambda: services.filing_close(
            by=w.other_ars,
            campaign=w.campaign,
            now=w.campaign.filing_closes + dt.timedelta(minutes=1),
        ),
    }
    for name, attempt in refused.items():
        with pytest.raises(PermissionDenied):
            attempt()
        assert _fresh(accreditation_request).status == RequestStatus.SUBMITTED, name
    assert _fresh(draft).reminded_at is None
    w.close_filing()  # the rightful ARS
    accreditation_request = w.to_commission(
        _fresh(accreditation_request), opinions=False
    )
    with pytest.raises(PermissionDenied, match="n'est pas ouvert à votre fonction"):
        services.proposal_record(
            by=w.other_ars,
            accreditation_request=_fresh(accreditation_request),
            outcome="granted",
        )
    services.proposal_record(
        by=w.ars, accreditation_request=_fresh(accreditation_request), outcome="granted"
    )
    with pytest.raises(PermissionDenied):
        services.decision_record(
            by=w.other_ars, accreditation_request=_fresh(accreditation_request)
        )
    assert _fresh(accreditation_request).status == RequestStatus.PROPOSED
    assert not Transition.objects.filter(action="decide").exists()


def test_an_rts_of_another_site_neither_files_nor_writes_this_site_dossier(people):
    w = make_world()
    other_rts = people.site_supervisor  # of another Lyon site
    assert not permissions.supervises(other_rts, w.site)
    with pytest.raises(PermissionDenied, match="Seul le responsable du terrain"):
        services.request_create(
            by=other_rts,
            campaign=w.campaign,
            training_site=w.site,
            specialty=specialty(CARDIO),
            phases=[phase("socle")],
        )
    accreditation_request = w.new_request()
    with pytest.raises(PermissionDenied, match="Seul le responsable du terrain"):
        fill(other_rts, accreditation_request)
    fill(w.rts, accreditation_request)
    for attempt in (
        lambda: services.request_submit(
            by=other_rts, accreditation_request=accreditation_request
        ),
        lambda: services.attachment_add(
            by=other_rts,
            accreditation_request=accreditation_request,
            title="Projet",
            upload=pdf(),
            kind="dossier",
        ),
        lambda: services.request_withdraw(
            by=other_rts, accreditation_request=accreditation_request
        ),
    ):
        with pytest.raises(PermissionDenied, match="n'est pas ouvert à votre fonction"):
            attempt()
    assert AccreditationRequest.objects.count() == 1
    assert _fresh(accreditation_request).status == RequestStatus.DRAFT
    assert not Attachment.objects.exists()
    services.request_submit(
        by=w.rts, accreditation_request=_fresh(accreditation_request)
    )
    assert _fresh(accreditation_request).status == RequestStatus.SUBMITTED


def test_a_coordinator_of_another_specialty_gives_no_opinion_nor_visit_report():
    w = make_world()
    accreditation_request = (
        w.filed()
    )  # cardiology; w.other_coordinator: general practice
    with pytest.raises(PermissionDenied, match="n'est pas ouvert à votre fonction"):
        services.opinion_give(
            by=w.other_coordinator,
            accreditation_request=accreditation_request,
            value="unfavourable",
            comment="Pas ma spécialité.",
        )
    with pytest.raises(PermissionDenied, match="n'est pas ouvert à votre fonction"):
        services.attachment_add(
            by=w.other_coordinator,
            accreditation_request=accreditation_request,
            title="Rapport",
            upload=pdf(),
            kind="visit_report",
        )
    assert not Opinion.objects.exists() and not Attachment.objects.exists()
    services.opinion_give(
        by=w.coordinator,
        accreditation_request=accreditation_request,
        value="favourable",
        comment="Terrain formateur.",
    )
    assert Opinion.objects.get().author == w.coordinator.person


def test_the_perimeters_the_screens_use_hold_the_request_where_it_lies():
    w = make_world()
    accreditation_request = w.new_request()
    site = w.site
    held = set(permissions.request_perimeter(accreditation_request)) - {None}
    assert held >= {site.subdivision.region, site.subdivision, site.establishment, site}
    if site.establishment.parent_id:  # the CHU's DAM reads its hospitals' requests
        assert site.establishment.parent in held
    assert region("84") in permissions.campaign_perimeter(w.campaign)
    assert subdivision("LYON") in permissions.campaign_perimeter(w.campaign)
