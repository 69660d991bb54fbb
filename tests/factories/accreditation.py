"""An accreditation campaign's world: the ARS of Auvergne-Rhône-Alpes, a clean
training site in Lyon with its RTS and its establishment's DAM, the cardiology
coordinator, the residents' representative, the faculty registry; outsiders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from domains.accreditation import services
from domains.accreditation.models import AccreditationCampaign, AccreditationRequest
from domains.people.roles import Role
from domains.referential.models import Phase
from tests.factories.people import make_user_with_role
from tests.factories.referential import (
    TrainingSiteFactory,
    phase,
    region,
    specialty,
    subdivision,
)

CARDIO = "DES-MCA"


@dataclass
class World:
    ars: object
    rts: object
    dam: object
    coordinator: object
    representative: object
    registry: object
    other_ars: object
    other_coordinator: object
    site: object
    campaign: AccreditationCampaign

    def everyone(self) -> dict[str, object]:
        return {
            "ars": self.ars,
            "rts": self.rts,
            "dam": self.dam,
            "coordinator": self.coordinator,
            "representative": self.representative,
            "registry": self.registry,
            "other_ars": self.other_ars,
            "other_coordinator": self.other_coordinator,
        }

    def new_request(self, specialty_code=CARDIO, type="principal", site=None, now=None):
        return services.request_create(
            by=self.rts,
            campaign=self.campaign,
            training_site=site or self.site,
            specialty=specialty(specialty_code),
            phases=[phase("socle"), phase("approfondissement")],
            type=type,
            now=now,
        )

    def filed(self, **kwargs) -> AccreditationRequest:
        """A complete dossier, submitted."""
        accreditation_request = self.new_request(**kwargs)
        fill(self.rts, accreditation_request)
        services.request_submit(
            by=self.rts, accreditation_request=accreditation_request
        )
        accreditation_request.refresh_from_db()
        return accreditation_request

    def close_filing(self):
        """Moves the deadline into the past and closes filing."""
        AccreditationCampaign.objects.filter(pk=self.campaign.pk).update(
            filing_closes=timezone.now() - dt.timedelta(minutes=1)
        )
        self.campaign.refresh_from_db()
        return services.filing_close(by=self.ars, campaign=self.campaign)

    def to_commission(self, accreditation_request, opinions=True):
        accreditation_request = AccreditationRequest.objects.get(
            pk=accreditation_request.pk
        )
        if opinions:
            services.opinion_give(
                by=self.coordinator,
                accreditation_request=accreditation_request,
                value="favourable",
                comment="Encadrement solide, activité suffisante.",
            )
            services.opinion_give(
                by=self.representative,
                accreditation_request=accreditation_request,
                value="reserved",
                comment="Charge de travail élevée le week-end.",
            )
        services.request_schedule(
            by=self.ars, accreditation_request=accreditation_request
        )
        return accreditation_request


def fill(user, accreditation_request, **overrides):
    fields = {
        "site_activity": "Service de 40 lits, 2 500 séjours par an.",
        "teaching_project": "Compagnonnage, staff quotidien, objectifs par phase.",
        "supervision": "4 praticiens hospitaliers dont 2 MSU.",
        "equipment": "Salle de cathétérisme, échographie, bureau des internes.",
        "teaching_meetings": "Bibliographie hebdomadaire, RMM mensuelle.",
        "research": "12 publications en 5 ans.",
        "max_residents": 3,
        "supervisor_specialty": specialty(CARDIO),
        **overrides,
    }
    return services.dossier_save(
        by=user, accreditation_request=accreditation_request, **fields
    )


def make_world(
    filing_days: int = 20, specialties=(CARDIO, "DES-MGE"), **campaign
) -> World:
    lyon = subdivision("LYON")
    site = TrainingSiteFactory(subdivision=lyon)
    other_region = region("11")
    ars = make_user_with_role(Role.ARS, region=region("84"))
    now = timezone.now()
    today = timezone.localdate()
    made = services.campaign_create(
        by=ars,
        region=region("84"),
        year=today.year,
        filing_opens=today - dt.timedelta(days=1),
        filing_closes=now + dt.timedelta(days=filing_days),
        opinions_due=today + dt.timedelta(days=filing_days + 10),
        commission_date=today + dt.timedelta(days=filing_days + 20),
        decisions_by=today + dt.timedelta(days=filing_days + 30),
        effective_from=dt.date(today.year + 1, 11, 1),
        specialties=[specialty(code) for code in specialties],
        phases=list(Phase.objects.all()),
        **campaign,
    )
    services.campaign_publish(by=ars, campaign=made)
    made.refresh_from_db()
    return World(
        ars=ars,
        rts=make_user_with_role(Role.SITE_SUPERVISOR, training_site=site),
        dam=make_user_with_role(Role.MEDICAL_AFFAIRS, establishment=site.establishment),
        coordinator=make_user_with_role(
            Role.COORDINATOR, subdivision=lyon, specialty=specialty(CARDIO)
        ),
        representative=make_user_with_role(
            Role.RESIDENT_REPRESENTATIVE, subdivision=lyon
        ),
        registry=make_user_with_role(Role.FACULTY_REGISTRY, subdivision=lyon),
        other_ars=make_user_with_role(Role.ARS, region=other_region),
        other_coordinator=make_user_with_role(
            Role.COORDINATOR, subdivision=lyon, specialty=specialty("DES-MGE")
        ),
        site=site,
        campaign=made,
    )


def bare_campaign(region_code: str = "84", year: int | None = None, **fields):
    """A published campaign written directly (volume tests, benchmarks)."""
    today = timezone.localdate()
    year = year or 2000 + AccreditationCampaign.objects.count()
    return AccreditationCampaign.objects.create(
        name=fields.pop("name", f"Agréments {year} — région {region_code}"),
        region=region(region_code),
        year=year,
        filing_opens=today - dt.timedelta(days=30),
        filing_closes=timezone.now() + dt.timedelta(days=10),
        opinions_due=today + dt.timedelta(days=20),
        commission_date=today + dt.timedelta(days=30),
        decisions_by=today + dt.timedelta(days=40),
        effective_from=today + dt.timedelta(days=300),
        status="published",
        **fields,
    )
