"""A matching round ready to play: ARS, posts, concerned residents, supervisors."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from domains.matching import services
from domains.matching.models import MatchingCampaign, MatchingRound
from domains.people.roles import Role
from domains.residents.models import PhasePeriod, Resident
from tests.factories.people import make_user_with_role
from tests.factories.referential import (
    EstablishmentFactory,
    PostFactory,
    SemesterFactory,
    phase,
    region,
    specialty,
)
from tests.factories.residents import accredited_site, make_resident

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def pdf(name: str = "piece.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@dataclass
class MatchingWorld:
    ars: object
    campaign: MatchingCampaign
    round: MatchingRound
    residents: list[Resident]
    sites: list
    supervisors: list
    offers: list = field(default_factory=list)

    def at(self, stage: str):
        """A moment of the round's calendar."""
        r = self.round
        return {
            "wishes": r.wishes_open + timedelta(hours=1),
            "ranking": r.ranking_open + timedelta(hours=1),
            "after": r.ranking_close + timedelta(hours=1),
        }[stage]

    def move_calendar(self, stage: str) -> None:
        """Shift the round's dates so that now is in `stage`."""
        now = timezone.now()
        starts = {
            "wishes": now - timedelta(days=1),
            "ranking": now - timedelta(days=5),
            "after": now - timedelta(days=9),
        }[stage]
        MatchingRound.objects.filter(pk=self.round.pk).update(
            wishes_open=starts,
            wishes_close=starts + timedelta(days=3),
            ranking_open=starts + timedelta(days=4),
            ranking_close=starts + timedelta(days=8),
            publication_at=starts + timedelta(days=9),
        )
        self.round.refresh_from_db()


def matching_world(
    *, residents: int = 5, sites: int = 5, seats: int = 1, local_priority=False
) -> MatchingWorld:
    ars = make_user_with_role(Role.ARS, region=region("84"))
    semester = SemesterFactory(season="winter", year=2027)
    site_list, supervisors = [], []
    for n in range(sites):
        site = accredited_site(
            subdivision_code="LYON" if n % 2 == 0 else "GRENOBLE",
            name=f"Cardiologie {n + 1}",
            establishment=EstablishmentFactory(
                name=f"Hôpital {n + 1}", region=region("84")
            ),
        )
        PostFactory(
            semester=semester,
            training_site=site,
            specialty=specialty("DES-MCA"),
            phase=phase("consolidation"),
            seats=seats,
        )
        site_list.append(site)
        supervisors.append(
            make_user_with_role(Role.SITE_SUPERVISOR, training_site=site)
        )
    people = []
    for n in range(residents):
        resident = make_resident(
            subdivision_code="LYON" if n % 2 == 0 else "GRENOBLE",
            email=f"junior{n + 1}@etu.exemple.fr",
            last_name=f"JUNIOR{n + 1}",
        )
        PhasePeriod.objects.filter(enrolment__resident=resident).update(
            phase=phase("consolidation")
        )
        people.append(resident)
    # Someone in socle phase and someone of another region: not concerned.
    make_resident(last_name="SOCLE")
    other = make_resident(subdivision_code="RENNES", last_name="RENNAIS")
    PhasePeriod.objects.filter(enrolment__resident=other).update(
        phase=phase("consolidation")
    )
    campaign = services.campaign_create(
        by=ars,
        name="Appariement cardiologie 2027",
        region=region("84"),
        semester=semester,
        specialties=[specialty("DES-MCA")],
        local_priority=local_priority,
    )
    now = timezone.now()
    matching_round = services.round_create(
        by=ars,
        campaign=campaign,
        wishes_open=now - timedelta(days=1),
        wishes_close=now + timedelta(days=3),
        ranking_open=now + timedelta(days=4),
        ranking_close=now + timedelta(days=8),
        publication_at=now + timedelta(days=9),
    )
    return MatchingWorld(
        ars=ars,
        campaign=campaign,
        round=matching_round,
        residents=people,
        sites=site_list,
        supervisors=supervisors,
        offers=list(matching_round.offers.order_by("post__training_site__name")),
    )


def complete_file(world: MatchingWorld, candidacy) -> None:
    user = candidacy.resident.person.user
    for kind in ("cv", "lettre", "contrat"):
        services.candidacy_file_set(
            by=user,
            candidacy=candidacy,
            kind=kind,
            upload=pdf(),
            now=world.at("wishes"),
        )
