"""A Docteur Junior matching campaign in Auvergne-Rhône-Alpes (cardiology), written
through the matching services: round 1 computed and published (results, explanations),
round 2 on the seats left, for those still without a post: its wishes are in and the
supervisors rank them on the demo day."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from domains.matching import services
from domains.matching.models import RunStatus
from domains.matching.selectors import applicants, offers_for
from domains.people.models import User
from domains.people.permissions import SYSTEM
from domains.people.roles import Role
from domains.referential.models import (
    AccreditationState,
    AccreditationType,
    Phase,
    Region,
    Specialty,
    TrainingSite,
)
from domains.referential.selectors import site_is_accredited
from domains.referential.services import accreditation_create, post_open

from .accounts import demo_email
from .departments import DEPARTMENT_SPECIALTIES

# A one-page PDF, enough for the demo files (CV, cover letter, contract).
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


class MatchingBuilder:
    def __init__(self, base):
        self.base = base
        self.rng = base.rng

    def _pdf(self) -> ContentFile:
        return ContentFile(DEMO_PDF, name="piece.pdf")

    def _posts(self, semester, specialty, region, demo_site=None) -> None:
        """Consolidation posts on the region's sites accredited for the specialty; the
        demo accredits a few more sites (through the referential services) when the
        region has too few for a lively campaign."""
        consolidation = Phase.objects.get(code=Phase.Code.CONSOLIDATION)
        hospital_sites = TrainingSite.objects.filter(
            subdivision__region=region, is_active=True, kind="hospital"
        ).order_by("pk")
        sites = [
            s
            for s in hospital_sites[:40]
            if site_is_accredited(
                training_site=s,
                specialty=specialty,
                phase=consolidation,
                semester=semester,
            )
        ][:12]
        # More sites when needed: services that train this DES (a cardiology post in
        # a cardiology or internal-medicine ward, never in radiology).
        fitting = [
            s
            for s in hospital_sites
            if specialty.code in DEPARTMENT_SPECIALTIES.get(s.department, ())
        ]
        wanted = [s for s in fitting[:30] if s not in sites][: max(0, 6 - len(sites))]
        if demo_site is not None and demo_site not in sites + wanted:
            wanted.append(demo_site)
        for site in wanted:
            accreditation_create(
                training_site=site,
                specialty=specialty,
                phases=Phase.objects.all(),
                start_date=semester.start_date - timedelta(days=365),
                end_date=semester.start_date + timedelta(days=4 * 365),
                state=AccreditationState.GRANTED,
                type=AccreditationType.COMPLEMENTARY,
                decision_reference="DEMO-APPARIEMENT",
                by=SYSTEM,
            )
            sites.append(site)
        for site in sites:
            post_open(
                semester=semester,
                training_site=site,
                specialty=specialty,
                phase=consolidation,
                seats=self.rng.choice([1, 1, 2, 3]),
                by=SYSTEM,
            )

    def _apply(self, candidacy, opened, prefer=()) -> None:
        """Her files, then 4 to 8 wishes (the `prefer`red offers among them), sent
        during the round's wishes window."""
        user = candidacy.resident.person.user
        for kind in ("cv", "lettre", "contrat"):
            services.candidacy_file_set(
                by=user,
                candidacy=candidacy,
                kind=kind,
                upload=self._pdf(),
                now=opened + timedelta(hours=2),
            )
        offers = list(offers_for(candidacy))
        if not offers:
            return
        chosen = [o for o in offers if o.pk in prefer]
        others = [o for o in offers if o.pk not in prefer]
        chosen += self.rng.sample(
            others, k=min(len(others), max(0, self.rng.randint(4, 8) - len(chosen)))
        )
        # Popular services get the most hearts: competition, ties, refusals.
        services.wishes_submit(
            by=user,
            candidacy=candidacy,
            hearts={o.pk: self.rng.choice([5, 5, 4, 3, 2]) for o in chosen},
            now=opened + timedelta(hours=3),
        )

    def _ranks(self, candidates) -> dict[int, int]:
        """Four tie levels; one refusal where the 80 % rule leaves room for it."""
        ranks = {c.pk: self.rng.randint(1, 4) for c in candidates}
        if len(candidates) >= 5:
            ranks[self.rng.choice(candidates).pk] = 0
        return ranks

    def build(self) -> dict[str, int]:
        ars = User.objects.get(email=demo_email(Role.ARS))
        admin = User.objects.get(email=demo_email(Role.UNESS_ADMIN))
        region = Region.objects.get(code="84")
        cardiology = Specialty.objects.get(code="DES-MCA")
        general = Specialty.objects.get(code="DES-MGE")
        current = self.base.current
        semester = next(
            (s for s in self.base.semesters if s.start_date > current.end_date), current
        )
        demo_site = (
            User.objects.get(email=demo_email(Role.SITE_SUPERVISOR))
            .person.functions.get()
            .training_site
        )
        self._posts(semester, general, region)
        self._posts(semester, cardiology, region, demo_site)
        campaign = services.campaign_create(
            by=ars,
            name="Docteurs Juniors — médecine générale et cardiologie",
            region=region,
            semester=semester,
            specialties=[general, cardiology],
            local_priority=True,
        )
        now = timezone.now()
        start = now - timedelta(days=20)
        first = services.round_create(
            by=ars,
            campaign=campaign,
            wishes_open=start,
            wishes_close=start + timedelta(days=4),
            ranking_open=start + timedelta(days=4),
            ranking_close=start + timedelta(days=9),
            publication_at=start + timedelta(days=10),
        )
        demo_resident = demo_email(Role.RESIDENT)
        applied = 0
        for candidacy in first.candidacies.select_related("resident__person__user"):
            user = candidacy.resident.person.user
            if user.email == demo_resident or self.rng.random() < 0.1:
                continue  # some never apply: they are kept for round 2
            self._apply(candidacy, start)
            applied += 1
        for offer in first.offers.select_related("post__training_site"):
            candidates = list(applicants(offer))
            if not candidates:
                continue
            supervisor = next(
                (
                    f.person.user
                    for f in offer.post.training_site.functions.filter(
                        role=Role.SITE_SUPERVISOR
                    ).select_related("person__user")
                ),
                admin,
            )
            services.ranking_submit(
                by=supervisor,
                offer=offer,
                ranks=self._ranks(candidates),
                now=start + timedelta(days=5),
            )
        run = services.run_start(
            by=ars,
            matching_round=first,
            background=False,
            seed=self.rng.randrange(2**31),
        )
        run = services.run_compute(run=run)
        if run.status == RunStatus.DONE:
            services.round_publish(by=ars, matching_round=first, run=run)
            # Round 2 on the demo day: its wishes are in, the supervisors rank.
            opened = now - timedelta(days=8)
            try:
                second = services.round_create(
                    by=ars,
                    campaign=campaign,
                    wishes_open=opened,
                    wishes_close=now - timedelta(days=2),
                    ranking_open=now - timedelta(days=2),
                    ranking_close=now + timedelta(days=5),
                    publication_at=now + timedelta(days=7),
                )
                waiting = second.candidacies.count()
            except ValidationError:
                waiting = 0  # at national scale round 1 may fill every seat
            else:
                demo_offers = {
                    o.pk for o in second.offers.filter(post__training_site=demo_site)
                }
                for candidacy in second.candidacies.select_related(
                    "resident__person__user"
                ):
                    is_demo = candidacy.resident.person.user.email == demo_resident
                    if is_demo or self.rng.random() < 0.8:
                        self._apply(candidacy, opened, prefer=demo_offers)
        else:
            waiting = 0
        return {
            "appariement : candidats du tour 1": first.candidacies.count(),
            "appariement : vœux validés au tour 1": applied,
            "appariement : affectés au tour 1": run.matched or 0,
            "appariement : convoqués au tour 2": waiting,
        }
