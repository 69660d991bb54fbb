import io
from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from helpdesk.models import Ticket

from assistance.models import Period, TicketContext
from assistance.selectors import visible_tickets
from assistance.statistics import statistics
from courses.models import (
    CourseEnrolment,
    CoursePage,
    SessionRegistration,
    TrainingSession,
)
from domains.accreditation.models import AccreditationCampaign, RequestStatus
from domains.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_email
from domains.matching.models import MatchingRound
from domains.people.models import Function
from domains.people.roles import ROLE_PERIMETER, Role
from domains.referential.models import (
    Accreditation,
    DataQuality,
    Establishment,
    Post,
    TrainingSite,
    data_quality_for,
)
from domains.referential.selectors import (
    current_semester,
    site_is_accredited,
    visible_training_sites,
)
from siimop_site.models import CampaignAnnouncementPage, StandardPage

OPENED = ("LYON", "GRENOBLE")  # the subdivisions opening the coming semester's posts
pytestmark = pytest.mark.django_db


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", scale="small", stdout=out, **options)
    return out.getvalue()


class Rollback(Exception):
    pass


def fingerprint(seed_value: int) -> list:
    try:
        with transaction.atomic():
            seed(seed=seed_value)
            result = list(
                Establishment.objects.order_by("pk").values_list(
                    "name", "finess", "siret"
                )
            ) + list(
                Post.objects.order_by("pk").values_list("training_site__name", "seats")
            )
            raise Rollback
    except Rollback:
        return result


def test_same_seed_gives_the_same_data_and_another_seed_other_data():
    first = fingerprint(7)
    assert first == fingerprint(7)
    assert first != fingerprint(8)


def test_small_demo_data_are_consistent_and_realistic(django_user_model):
    output = seed()
    assert "Données de démonstration « small » chargées" in output
    for role in DEMO_ACCOUNTS:
        assert demo_email(role) in output
    assert DEMO_PASSWORD in output

    establishments = list(Establishment.objects.all())
    to_fix = [e for e in establishments if e.data_quality == DataQuality.TO_FIX]
    assert 0.05 <= len(to_fix) / len(establishments) <= 0.15
    assert all(
        e.data_quality == data_quality_for(e.finess, e.siret) for e in establishments
    )
    assert Establishment.objects.filter(
        finess="690781810", name="Hospices Civils de Lyon"
    )

    # Every subdivision has training sites, and sites belong to their subdivision's region.
    assert TrainingSite.objects.values("subdivision").distinct().count() == 28
    assert not TrainingSite.objects.exclude(
        establishment__region=F("subdivision__region")
    ).exists()

    # Posts: current semester, only where the services would have allowed them.
    semester = current_semester()
    posts = Post.objects.select_related(
        "training_site", "specialty", "phase", "semester"
    )
    assert posts.filter(semester=semester).count() == 250
    # The others: the next semester's consolidation posts of the matching campaign,
    # Lyon's posts the ARS took up for the coming semester's opening, and Grenoble's
    # opened for its amphi.
    others = posts.exclude(semester=semester)
    assert {
        p.phase.code
        for p in others.exclude(training_site__subdivision__code__in=OPENED)
    } == {"consolidation"}
    for code in OPENED:
        assert (
            others.filter(training_site__subdivision__code=code)
            .exclude(phase__code="consolidation")
            .exists()
        ), code
    assert all(
        site_is_accredited(
            training_site=p.training_site,
            specialty=p.specialty,
            phase=p.phase,
            semester=p.semester,
        )
        for p in posts
    )
    assert not Accreditation.objects.filter(end_date__lt=F("start_date")).exists()

    # Somebody for every role, with the right perimeter.
    assert set(Function.objects.values_list("role", flat=True)) == set(Role.values)
    for function in Function.objects.filter(
        person__user__username__endswith="demo.siimop.fr"
    ):
        assert ROLE_PERIMETER[function.role]

    # The demo accounts sign in and see their perimeter.
    ars = django_user_model.objects.get(username=demo_email(Role.ARS))
    assert ars.check_password(DEMO_PASSWORD)
    regions = set(
        visible_training_sites(ars).values_list("subdivision__region__name", flat=True)
    )
    assert regions == {"Auvergne-Rhône-Alpes"}
    rts = django_user_model.objects.get(username=demo_email(Role.SITE_SUPERVISOR))
    assert visible_training_sites(rts).count() == 1

    # UNESS Assistance: requests in every team, with consistent histories.
    tickets = Ticket.objects.all()
    assert tickets.count() >= 3000
    assert not tickets.filter(siimop__isnull=True).exists()
    assert tickets.values("siimop__subdivision").distinct().count() == 28
    assert not tickets.filter(siimop__escalated=True).exclude(queue__team__tier=2)
    resolved = tickets.filter(status__in=[Ticket.RESOLVED_STATUS, Ticket.CLOSED_STATUS])
    assert 0.5 <= resolved.count() / tickets.count() <= 0.9
    assert not resolved.filter(siimop__resolution_hours__isnull=True).exists()
    assert Period.objects.count() == 3
    # Filed over the past year, most of them during the campaigns.
    assert tickets.filter(created__date__lt=date.today() - timedelta(days=180)).exists()
    admin = django_user_model.objects.get(username=demo_email(Role.UNESS_ADMIN))
    for period in Period.objects.all():
        assert statistics(admin, period=period).total > 100
    agent = django_user_model.objects.get(username=demo_email(Role.SUPPORT_L1))
    lyon_only = visible_tickets(agent).values("queue__team__subdivision__code")
    assert {r["queue__team__subdivision__code"] for r in lyon_only} <= {"LYON", None}
    resident = django_user_model.objects.get(username=demo_email(Role.RESIDENT))
    # The public site: content pages and the matching rounds' announcements.
    announcements = CampaignAnnouncementPage.objects.live()
    assert announcements.count() == MatchingRound.objects.count() >= 1
    assert all(a.campaign_facts()["phases"] for a in announcements)
    assert StandardPage.objects.live().count() >= 2
    assert all(a.mailing_lists.count() == 2 for a in announcements)
    # The training catalogue: three online courses, a café and a workshop; the ARS
    # finished one course, attended the past workshop and is registered to the next.
    assert CoursePage.objects.live().count() == 5
    assert CourseEnrolment.objects.filter(
        user=ars, completed_at__isnull=False, course__title="Prendre en main le Cockpit"
    ).exists()
    assert TrainingSession.objects.filter(starts_at__gt=timezone.now()).count() >= 4
    mine = SessionRegistration.objects.filter(user=ars).order_by("session__starts_at")
    assert (
        mine[0].attended is True
        and mine[0].user.enrolments.filter(badge__isnull=False).count() == 2
    )
    assert any(r.status == "registered" for r in mine[1:])
    # A running accreditation campaign in Auvergne-Rhône-Alpes, every state present.
    campaign = AccreditationCampaign.objects.get(region__code="84")
    states = set(campaign.requests.values_list("status", flat=True))
    assert states == set(RequestStatus.values), states
    decided = campaign.requests.filter(status="decided", decision="granted")
    assert decided.exists() and all(r.accreditation_id for r in decided)
    rts = django_user_model.objects.get(username=demo_email(Role.SITE_SUPERVISOR))
    assert campaign.requests.filter(
        training_site__functions__person__user=rts, status="submitted"
    ).exists()
    mine = TicketContext.objects.filter(person__user=resident)
    assert mine.filter(ticket__title="Je ne vois pas les postes de cardiologie")
    assert mine.filter(ticket__followup__title="Réponse de l'assistance").exists()

    # Grenoble's amphi: its wishes being entered, its simulation keeping the rule;
    # in Lyon, the demo resident has made her pre-choice.
    from domains.choices import amphi
    from domains.choices.models import ChoiceSession, PreChoice
    from domains.choices.session_selectors import instance

    session = ChoiceSession.objects.get(call_list__subdivision__code="GRENOBLE")
    assert session.wish_lists.exists() and session.simulation["assignments"]
    posts, choosers, _people = instance(session)
    assert amphi.violations(posts, choosers, amphi.Result(**session.simulation)) == []
    assert PreChoice.objects.filter(resident__person__user=resident).exists()


def test_seed_refuses_a_database_that_already_has_data_unless_asked_to_skip():
    seed()
    with pytest.raises(CommandError, match="base vide"):
        seed()
    assert "Base déjà remplie" in seed(if_empty=True)
