"""A running accreditation campaign in Auvergne-Rhône-Alpes, written through the
accreditation services: filing closed two days ago, requests in every state (drafts
never filed, withdrawn, reopened and filed late, in analysis with or without
opinions, on the commission's agenda, proposed, decided), transitions dated over the
campaign so that its progress chart means something. The demo RTS's request is
reopened, so he can still file; the demo coordinator and representative have
opinions to give."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from domains.accreditation import services
from domains.accreditation.models import (
    AccreditationCampaign,
    AccreditationRequest,
    Transition,
)
from domains.people.models import Function, User
from domains.people.roles import Role
from domains.people.selectors import active_on
from domains.referential.models import (
    Accreditation,
    DataQuality,
    Phase,
    Region,
    Specialty,
    TrainingSite,
)

from .accounts import demo_email

# Target state of each request, in turn (every state present, most decided or close).
PLAN = [
    "decided",
    "analysis",
    "proposed",
    "commission",
    "decided",
    "analysis",
    "draft",
    "decided",
    "proposed",
    "submitted",
    "analysis",
    "withdrawn",
    "decided",
    "commission",
]
OUTCOMES = [
    ("granted", ""),
    ("granted", ""),
    ("granted", ""),
    ("provisional", "Encadrement à renforcer : un seul praticien senior."),
    ("granted", ""),
    ("refused", "Activité insuffisante pour la phase demandée."),
    ("granted", ""),
    ("deferred", "Visite du terrain à programmer avant de se prononcer."),
]
DOSSIER = {
    "site_activity": "Service de {beds} lits, environ {stays} séjours par an, "
    "consultations et hôpital de jour.",
    "teaching_project": "Compagnonnage au lit du patient, objectifs par phase, "
    "entretien de mi-stage et de fin de stage.",
    "supervision": "{seniors} praticiens seniors dont un référent pédagogique.",
    "equipment": "Bureau des internes, accès à l'imagerie et au plateau technique.",
    "teaching_meetings": "Staff quotidien, bibliographie hebdomadaire, RMM mensuelle.",
    "research": "Participation aux protocoles du service ; {papers} publications en "
    "cinq ans.",
}


class AccreditationBuilder:
    def __init__(self, base):
        self.base = base
        self.rng = base.rng
        self.today = base.today

    def _rts(self) -> dict[int, User]:
        """Each clean site of the region and its current RTS."""
        functions = (
            Function.objects.filter(active_on(self.today), role=Role.SITE_SUPERVISOR)
            .filter(
                training_site__subdivision__region=self.region,
                training_site__is_active=True,
                training_site__establishment__data_quality=DataQuality.CLEAN,
            )
            .select_related("person__user", "training_site")
            .order_by("training_site_id", "pk")
        )
        found = {}
        for f in functions:
            if f.person.user.username == demo_email(Role.SITE_SUPERVISOR):
                found[f.training_site_id] = f.person.user  # the demo RTS files there
            else:
                found.setdefault(f.training_site_id, f.person.user)
        return found

    def _advisers(self) -> tuple[dict, dict]:
        functions = Function.objects.filter(
            active_on(self.today),
            role__in=[Role.COORDINATOR, Role.RESIDENT_REPRESENTATIVE],
            subdivision__region=self.region,
        ).select_related("person__user")
        coordinators, representatives = {}, {}
        for f in functions:
            if f.role == Role.COORDINATOR:
                coordinators.setdefault(
                    (f.subdivision_id, f.specialty_id), f.person.user
                )
            else:
                representatives.setdefault(f.subdivision_id, f.person.user)
        return coordinators, representatives

    def build(self) -> dict[str, int]:
        self.region = Region.objects.get(code="84")
        ars = User.objects.get(username=demo_email(Role.ARS))
        sites = self._rts()
        if not sites:
            return {}
        now = timezone.now()
        effective = dt.date(self.today.year + (self.today.month >= 9), 11, 1)
        accredited = list(
            Accreditation.objects.filter(training_site_id__in=sites, type="principal")
            .values_list("training_site_id", "specialty_id")
            .distinct()
        )
        own_specialty = dict(accredited)
        demo_rts = User.objects.get(username=demo_email(Role.SITE_SUPERVISOR))
        cardiology = Specialty.objects.get(code="DES-MCA")
        for site_id, user in sites.items():
            if (
                user == demo_rts
            ):  # his own site, in cardiology like the demo coordinator
                own_specialty[site_id] = cardiology.pk
        specialty_ids = sorted({s for _site, s in accredited})[:12]
        specialty_ids = sorted({*specialty_ids, cardiology.pk})
        specialties = list(Specialty.objects.filter(pk__in=specialty_ids))
        campaign = services.campaign_create(
            by=ars,
            region=self.region,
            year=self.today.year,
            filing_opens=self.today - dt.timedelta(days=40),
            filing_closes=now + dt.timedelta(days=1),
            opinions_due=self.today + dt.timedelta(days=2),
            commission_date=self.today + dt.timedelta(days=3),
            decisions_by=self.today + dt.timedelta(days=25),
            effective_from=effective,
            specialties=specialties,
            phases=list(Phase.objects.all()),
        )
        services.campaign_publish(by=ars, campaign=campaign)
        campaign.refresh_from_db()
        phases = list(Phase.objects.order_by("order"))
        limit = 60  # a lively campaign, whatever the scale (seeding stays quick)
        eligible = [s for s in sites if own_specialty.get(s) in specialty_ids]
        chosen = sorted(eligible, key=lambda s: sites[s] != demo_rts)[:limit]
        plan = {}
        for n, site_id in enumerate(chosen):
            rts = sites[site_id]
            state = "submitted" if rts == demo_rts else PLAN[n % len(PLAN)]
            specialty = next(s for s in specialties if s.pk == own_specialty[site_id])
            try:
                accreditation_request = AccreditationRequest.objects.filter(
                    campaign=campaign, training_site_id=site_id, specialty=specialty
                ).first() or services.request_create(
                    by=rts,
                    campaign=campaign,
                    training_site=TrainingSite.objects.get(pk=site_id),
                    specialty=specialty,
                    phases=phases[: self.rng.randint(1, 3)],
                )
            except ValidationError:
                continue
            plan[accreditation_request.pk] = state
            if state == "draft":
                continue
            services.dossier_save(
                by=rts,
                accreditation_request=accreditation_request,
                supervisor_specialty=specialty,
                max_residents=self.rng.randint(1, 4),
                **{
                    key: text.format(
                        beds=self.rng.randint(15, 60),
                        stays=self.rng.randint(8, 40) * 100,
                        seniors=self.rng.randint(2, 9),
                        papers=self.rng.randint(0, 30),
                    )
                    for key, text in DOSSIER.items()
                },
            )
            if state == "withdrawn":
                services.request_withdraw(
                    by=rts,
                    accreditation_request=accreditation_request,
                    reason="Restructuration du service.",
                )
                continue
            services.request_submit(by=rts, accreditation_request=accreditation_request)
            if self.rng.random() < 0.3:  # changed his mind before the deadline
                services.dossier_save(
                    by=rts,
                    accreditation_request=accreditation_request,
                    max_residents=accreditation_request.max_residents + 1,
                )
                services.request_submit(
                    by=rts, accreditation_request=accreditation_request
                )
        # Filing closed two days ago; the commission sat yesterday.
        AccreditationCampaign.objects.filter(pk=campaign.pk).update(
            filing_closes=now - dt.timedelta(days=2),
            opinions_due=self.today - dt.timedelta(days=2),
            commission_date=self.today - dt.timedelta(days=1),
        )
        campaign.refresh_from_db()
        services.filing_close(by=ars, campaign=campaign)
        coordinators, representatives = self._advisers()
        outcome = 0
        accreditation_requests = AccreditationRequest.objects.filter(
            pk__in=plan
        ).select_related("campaign", "training_site", "specialty")
        for accreditation_request in accreditation_requests:
            state = plan[accreditation_request.pk]
            if state == "submitted":  # late: the ARS reopened it, he filed again
                services.request_reopen(
                    by=ars,
                    accreditation_request=accreditation_request,
                    until=now + dt.timedelta(days=10),
                    reason="Nouveau responsable arrivé après la clôture.",
                )
                continue
            if state not in ("commission", "proposed", "decided", "analysis"):
                continue
            key = (
                accreditation_request.training_site.subdivision_id,
                accreditation_request.specialty_id,
            )
            advisers = [
                (coordinators.get(key), "Terrain formateur, encadrement présent."),
                (
                    representatives.get(
                        accreditation_request.training_site.subdivision_id
                    ),
                    "Retours d'internes positifs ; gardes soutenues.",
                ),
            ]
            for adviser, comment in advisers:
                if adviser and (state != "analysis" or self.rng.random() < 0.5):
                    services.opinion_give(
                        by=adviser,
                        accreditation_request=accreditation_request,
                        value=self.rng.choice(["favourable", "favourable", "reserved"]),
                        comment=comment,
                    )
            if state == "analysis":
                continue
            services.request_schedule(
                by=ars, accreditation_request=accreditation_request
            )
            if state == "commission":
                continue
            proposal, reason = OUTCOMES[outcome % len(OUTCOMES)]
            outcome += 1
            services.proposal_record(
                by=ars,
                accreditation_request=accreditation_request,
                outcome=proposal,
                reason=reason,
            )
            if state == "proposed":
                continue
            try:
                services.decision_record(
                    by=ars,
                    accreditation_request=accreditation_request,
                    override="Avis non rendu dans les délais malgré relance."
                    if services.missing_opinions(accreditation_request)
                    else "",
                )
            except ValidationError:  # e.g. a complementary without a principal
                continue
        self._date_transitions(campaign)
        return {"demandes d'agrément": len(plan)}

    def _date_transitions(self, campaign) -> None:
        """Spread the audit over the campaign: submissions across the filing weeks,
        opinions after the deadline, the commission yesterday, decisions today."""
        opens = timezone.make_aware(
            dt.datetime.combine(campaign.filing_opens, dt.time(9))
        )
        closes = campaign.filing_closes
        span = (closes - opens).total_seconds()
        moments = {
            "create": lambda: (
                opens + dt.timedelta(seconds=self.rng.random() * span * 0.5)
            ),
            "submit": lambda: (
                opens + dt.timedelta(seconds=span * (0.3 + self.rng.random() * 0.7))
            ),
            "withdraw": lambda: opens + dt.timedelta(seconds=span * 0.8),
            "attach": lambda: opens + dt.timedelta(seconds=span * 0.5),
            "close_filing": lambda: closes,
            "opinion": lambda: closes + dt.timedelta(hours=self.rng.randint(2, 30)),
            "schedule": lambda: closes + dt.timedelta(hours=36),
            "propose": lambda: closes + dt.timedelta(hours=48),
        }
        for transition in Transition.objects.filter(request__campaign=campaign):
            moment = moments.get(transition.action)
            if moment is not None:
                Transition.objects.filter(pk=transition.pk).update(at=moment())
