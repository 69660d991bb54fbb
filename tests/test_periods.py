"""Dates that end before they start are refused everywhere (issue 19): every model with
a period says so on its end field, naming both dates, in every model form and service;
the database refuses the row even when clean() is bypassed; the legacy import names
the row; a campaign's public announcement never shows a phase ending before it starts.
"""

import datetime as dt
import io

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms import modelform_factory
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from domains.accreditation import services as accreditation_services
from domains.accreditation.models import AccreditationCampaign
from domains.matching import services as matching_services
from domains.people.permissions import SYSTEM
from domains.people.roles import Role
from domains.referential.models import Phase
from domains.residents import services as residents_services
from domains.residents.models import PhasePeriod, SituationKind, SpecialSituation
from imports.kinds import IMPORTERS
from imports.pipeline import Status, run_import
from siimop_site.campaigns import kind_of
from tests.factories.accreditation import CARDIO, bare_campaign, make_world
from tests.factories.courses import make_session
from tests.factories.matching import matching_world
from tests.factories.people import make_user_with_role
from tests.factories.referential import (
    AccreditationFactory,
    SemesterFactory,
    TrainingSiteFactory,
    region,
    specialty,
)
from tests.factories.residents import make_resident

pytestmark = pytest.mark.django_db

PERIOD = "La date de fin (%s) précède la date de début (%s)."


def moment(text: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(text))


# model, the form's fields and values, the end field, the message it shows.
FORMS = [
    (
        "referential.Semester",
        {"start_date": "2031-05-01", "end_date": "2031-05-01"},
        "end_date",
        "La date de fin (01/05/2031) doit suivre la date de début (01/05/2031).",
    ),
    (
        "referential.Accreditation",
        {"start_date": "2026-11-01", "end_date": "2026-10-31"},
        "end_date",
        "La fin de l'agrément (31/10/2026) précède son début (01/11/2026).",
    ),
    (
        "residents.PhasePeriod",
        {"start_date": "2026-11-01", "planned_end": "2026-10-01"},
        "planned_end",
        "La fin prévue (01/10/2026) précède le début de la phase (01/11/2026).",
    ),
    (
        "residents.PhasePeriod",
        {
            "start_date": "2026-11-01",
            "planned_end": "2028-10-31",
            "actual_end": "2026-10-31",
        },
        "actual_end",
        "La fin effective (31/10/2026) précède le début de la phase (01/11/2026).",
    ),
    (
        "residents.SpecialSituation",
        {"start_date": "2027-05-01", "end_date": "2027-04-30"},
        "end_date",
        PERIOD % ("30/04/2027", "01/05/2027"),
    ),
    (
        "people.Function",
        {"start_date": "2026-09-01", "end_date": "2026-08-31"},
        "end_date",
        PERIOD % ("31/08/2026", "01/09/2026"),
    ),
    (
        "assistance.Period",
        {"name": "Agréments 2027", "start": "2027-03-01", "end": "2027-02-28"},
        "end",
        PERIOD % ("28/02/2027", "01/03/2027"),
    ),
    (
        "courses.TrainingSession",
        {
            "starts_at": "2027-03-10 14:00",
            "ends_at": "2027-03-10 12:00",
            "place": "Lyon",
        },
        "ends_at",
        "La date de fin (10/03/2027 à 12:00) doit suivre la date de début "
        "(10/03/2027 à 14:00).",
    ),
    (
        "matching.MatchingRound",
        {
            "wishes_open": "2027-03-01 09:00",
            "wishes_close": "2027-03-10 18:00",
            "ranking_open": "2027-03-09 09:00",
            "ranking_close": "2027-03-20 18:00",
            "publication_at": "2027-03-25 12:00",
        },
        "ranking_open",
        "L'ouverture des classements (09/03/2027 à 09:00) précède la clôture des "
        "vœux (10/03/2027 à 18:00).",
    ),
    (
        "matching.MatchingRound",
        {
            "wishes_open": "2027-03-01 09:00",
            "wishes_close": "2027-03-01 09:00",
            "ranking_open": "2027-03-09 09:00",
            "ranking_close": "2027-03-20 18:00",
            "publication_at": "2027-03-19 12:00",
        },
        "wishes_close",
        "La clôture des vœux (01/03/2027 à 09:00) doit suivre leur ouverture "
        "(01/03/2027 à 09:00).",
    ),
    (
        "accreditation.AccreditationCampaign",
        {"filing_opens": "2027-01-10", "filing_closes": "2027-01-09 18:00"},
        "filing_closes",
        "La clôture des dépôts (09/01/2027 à 18:00) précède leur ouverture "
        "(10/01/2027).",
    ),
    (
        "accreditation.AccreditationCampaign",
        {"filing_closes": "2027-03-15 18:00", "opinions_due": "2027-03-14"},
        "opinions_due",
        "Les avis attendus pour le 14/03/2027 précèdent la clôture des dépôts "
        "(15/03/2027 à 18:00).",
    ),
    (
        "accreditation.AccreditationCampaign",
        {"opinions_due": "2027-04-10", "commission_date": "2027-04-09"},
        "commission_date",
        "La commission (09/04/2027) précède la date des avis attendus (10/04/2027).",
    ),
    (
        "accreditation.AccreditationCampaign",
        {"commission_date": "2027-05-10", "decisions_by": "2027-05-01"},
        "decisions_by",
        "La date limite des décisions (01/05/2027) précède la commission (10/05/2027).",
    ),
    (
        "accreditation.AccreditationCampaign",
        {"decisions_by": "2027-11-15", "effective_from": "2027-11-01"},
        "effective_from",
        "La prise d'effet des agréments (01/11/2027) précède la date limite des "
        "décisions (15/11/2027).",
    ),
]


@pytest.mark.parametrize(
    "label, data, end_field, message",
    FORMS,
    ids=[f"{m}.{end}" for m, _d, end, _msg in FORMS],
)
def test_a_model_form_shows_the_inverted_period_on_its_end_field(
    label, data, end_field, message
):
    Form = modelform_factory(apps.get_model(label), fields=list(data))
    form = Form(data=data)
    assert not form.is_valid()
    assert form.errors[end_field] == [message]


def test_the_same_dates_in_order_pass():
    data = {"start_date": "2026-11-01", "planned_end": "2028-10-31"}
    form = modelform_factory(PhasePeriod, fields=list(data))(data=data)
    form.is_valid()
    assert "planned_end" not in form.errors and "start_date" not in form.errors


# --- the database, clean() bypassed ------------------------------------------------


def _semester():
    semester = SemesterFactory(season="summer", year=2031)
    return semester, {"end_date": semester.start_date}


def _accreditation():
    accreditation = AccreditationFactory()
    return accreditation, {"end_date": accreditation.start_date - dt.timedelta(days=1)}


def _phase_planned():
    phase = PhasePeriod.objects.get(enrolment__resident=make_resident())
    return phase, {"planned_end": phase.start_date - dt.timedelta(days=1)}


def _phase_actual():
    phase = PhasePeriod.objects.get(enrolment__resident=make_resident())
    return phase, {"actual_end": phase.start_date - dt.timedelta(days=1)}


def _situation():
    situation = SpecialSituation.objects.create(
        resident=make_resident(),
        kind=SituationKind.RESEARCH_YEAR,
        start_date=dt.date(2027, 11, 1),
        end_date=dt.date(2028, 10, 31),
    )
    return situation, {"end_date": dt.date(2027, 10, 31)}


def _function():
    user = make_user_with_role(Role.ARS, region=region("84"))
    function = user.person.functions.get()
    return function, {"end_date": function.start_date - dt.timedelta(days=1)}


def _period():
    from assistance.models import Period

    period = Period.objects.create(
        name="Agréments 2027", start=dt.date(2027, 3, 1), end=dt.date(2027, 6, 30)
    )
    return period, {"end": dt.date(2027, 2, 28)}


def _session():
    session = make_session()
    return session, {"ends_at": session.starts_at}


def _badge():
    from courses.models import BadgeAward, CourseEnrolment
    from tests.factories.courses import make_course

    course, _lessons, _quiz = make_course()
    learner = make_user_with_role(Role.ARS, region=region("84"))
    award = BadgeAward.objects.create(
        enrolment=CourseEnrolment.objects.create(user=learner, course=course)
    )
    return award, {"expires": award.issued_on - dt.timedelta(days=1)}


def _round():
    matching_round = matching_world(residents=1, sites=1).round
    return matching_round, {
        "ranking_open": matching_round.wishes_close - dt.timedelta(hours=1)
    }


def _campaign_filing():
    campaign = bare_campaign()
    opens = timezone.make_aware(dt.datetime.combine(campaign.filing_opens, dt.time()))
    return campaign, {"filing_closes": opens - dt.timedelta(days=1)}


def _campaign_opinions():
    """The 'Avis et visites' period the public announcement showed inverted."""
    campaign = bare_campaign()
    closes = timezone.localdate(campaign.filing_closes)
    return campaign, {"opinions_due": closes - dt.timedelta(days=1)}


def _campaign_commission():
    campaign = bare_campaign()
    return campaign, {"commission_date": campaign.opinions_due - dt.timedelta(days=1)}


def _campaign_decisions():
    campaign = bare_campaign()
    return campaign, {"decisions_by": campaign.commission_date - dt.timedelta(days=1)}


def _campaign_effect():
    campaign = bare_campaign()
    return campaign, {"effective_from": campaign.decisions_by - dt.timedelta(days=1)}


ROWS = [
    _semester,
    _accreditation,
    _phase_planned,
    _phase_actual,
    _situation,
    _function,
    _period,
    _session,
    _badge,
    _round,
    _campaign_filing,
    _campaign_opinions,
    _campaign_commission,
    _campaign_decisions,
    _campaign_effect,
]


@pytest.mark.parametrize("make", ROWS, ids=[f.__name__.lstrip("_") for f in ROWS])
def test_the_database_refuses_an_inverted_period_even_bypassing_clean(make):
    record, inverted = make()
    model = type(record)
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=record.pk).update(**inverted)
    # The row in order is kept as it was.
    kept = model.objects.get(pk=record.pk)
    for field, value in inverted.items():
        assert getattr(kept, field) != value


def test_the_database_accepts_opinions_due_the_day_the_filing_closes():
    campaign = bare_campaign()
    closes = timezone.localtime(campaign.filing_closes).replace(hour=18, minute=0)
    AccreditationCampaign.objects.filter(pk=campaign.pk).update(
        filing_closes=closes, opinions_due=closes.date()
    )


# --- the services ---------------------------------------------------------------------


def test_a_campaign_created_with_opinions_before_the_filing_closes_is_refused():
    world = make_world()
    today = timezone.localdate()
    closes = timezone.make_aware(
        dt.datetime.combine(today + dt.timedelta(days=10), dt.time(18))
    )
    with pytest.raises(ValidationError) as refusal:
        accreditation_services.campaign_create(
            by=world.ars,
            region=region("84"),
            year=today.year + 1,
            filing_opens=today,
            filing_closes=closes,
            opinions_due=closes.date() - dt.timedelta(days=3),
            commission_date=closes.date() + dt.timedelta(days=5),
            decisions_by=closes.date() + dt.timedelta(days=20),
            effective_from=closes.date() + dt.timedelta(days=300),
            specialties=[specialty(CARDIO)],
            phases=list(Phase.objects.all()),
        )
    assert list(refusal.value.message_dict) == ["opinions_due"]
    assert (
        f"Les avis attendus pour le {closes.date() - dt.timedelta(days=3):%d/%m/%Y} "
        f"précèdent la clôture des dépôts ({closes:%d/%m/%Y} à 18:00)."
    ) in refusal.value.message_dict["opinions_due"]
    assert AccreditationCampaign.objects.count() == 1  # the world's only


def test_a_matching_round_with_rankings_before_the_wishes_close_is_refused():
    world = matching_world(residents=1, sites=1)
    now = timezone.now()
    type(world.round).objects.filter(pk=world.round.pk).update(status="published")
    with pytest.raises(ValidationError) as refusal:
        matching_services.round_create(
            by=world.ars,
            campaign=world.campaign,
            wishes_open=now,
            wishes_close=now + dt.timedelta(days=5),
            ranking_open=now + dt.timedelta(days=4),
            ranking_close=now + dt.timedelta(days=8),
            publication_at=now + dt.timedelta(days=9),
        )
    assert list(refusal.value.message_dict) == ["ranking_open"]
    assert world.campaign.rounds.count() == 1


def test_a_special_situation_ending_before_it_starts_is_refused_on_its_end():
    resident = make_resident()
    with pytest.raises(ValidationError) as refusal:
        residents_services.situation_request(
            resident=resident,
            kind=SituationKind.RESEARCH_YEAR,
            start_date=dt.date(2027, 11, 1),
            end_date=dt.date(2027, 10, 31),
            by=resident.person.user,
        )
    assert refusal.value.message_dict == {
        "end_date": [PERIOD % ("31/10/2027", "01/11/2027")]
    }


def test_a_jury_dated_before_a_phase_starts_is_refused_naming_the_resident():
    resident = make_resident()
    phase = PhasePeriod.objects.get(enrolment__resident=resident)
    ars = make_user_with_role(Role.FACULTY_REGISTRY, subdivision=resident.subdivision)
    with pytest.raises(ValidationError) as refusal:
        residents_services.phase_change_many(
            residents=[resident],
            jury_date=phase.start_date - dt.timedelta(days=1),
            decision="validated",
            by=ars,
        )
    assert any(
        str(resident) in message
        and f"la date du jury ({phase.start_date - dt.timedelta(days=1):%d/%m/%Y}) "
        f"précède le début de sa phase ({phase.start_date:%d/%m/%Y})"
        in message
        for message in refusal.value.messages
    )
    phase.refresh_from_db()
    assert phase.actual_end is None


# --- the legacy import ----------------------------------------------------------------

HEADER = ["Terrain", "Spécialité", "Phases", "Type", "Début", "Fin", "Décision"]


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _import(rows):
    return run_import(
        IMPORTERS["agrements"](region=region("84"), by=SYSTEM),
        xlsx([HEADER, *rows]),
        commit=True,
    )


def test_an_imported_accreditation_ending_before_it_starts_is_rejected_on_its_row():
    TrainingSiteFactory(legacy_id="T1")
    report = _import(
        [
            ["T1", "DES-MCA", "socle", "principal", "01/11/2030", "31/10/2035", "ok"],
            ["T1", "DES-MCA", "socle", "principal", "01/11/2026", "31/10/2025", "ok"],
        ]
    )
    assert [r.status for r in report.results] == [Status.CREATED, Status.REJECTED]
    rejected = report.problems[0]
    assert (rejected.line, rejected.column) == (3, "Fin")
    assert rejected.reason == "la fin (31/10/2025) précède le début (01/11/2026)"


def test_an_imported_update_ending_before_it_starts_is_rejected_on_its_row():
    site = TrainingSiteFactory(legacy_id="T1")
    _import([["T1", "DES-MCA", "socle", "principal", "01/11/2026", "31/10/2031", ""]])
    report = _import(
        [["T1", "DES-MCA", "socle", "principal", "01/11/2026", "31/10/2025", ""]]
    )
    rejected = report.problems[0]
    assert (rejected.line, rejected.column) == (2, "Fin")
    assert "(31/10/2025) précède son début (01/11/2026)" in rejected.reason
    assert site.accreditations.get().end_date == dt.date(2031, 10, 31)


# --- the public announcement ------------------------------------------------------------


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    offsets=st.lists(st.integers(min_value=-5, max_value=5), min_size=5, max_size=5),
    closing_minute=st.integers(min_value=0, max_value=24 * 60 - 1),
)
def test_a_campaign_clean_accepts_only_calendars_the_announcement_shows_in_order(
    offsets, closing_minute
):
    """Whatever the dates typed, a calendar clean() lets through shows no phase
    ending before it starts on the announcement (minutes: the form's precision)."""
    opens = dt.date(2027, 1, 10)
    closes_day = opens + dt.timedelta(days=offsets[0])
    closes = timezone.make_aware(
        dt.datetime.combine(closes_day, dt.time())
        + dt.timedelta(minutes=closing_minute)
    )
    opinions = closes_day + dt.timedelta(days=offsets[1])
    commission = opinions + dt.timedelta(days=offsets[2])
    decisions = commission + dt.timedelta(days=offsets[3])
    campaign = AccreditationCampaign(
        filing_opens=opens,
        filing_closes=closes,
        opinions_due=opinions,
        commission_date=commission,
        decisions_by=decisions,
        effective_from=decisions + dt.timedelta(days=offsets[4]),
    )
    try:
        campaign.clean()
    except ValidationError:
        return
    phases = kind_of(AccreditationCampaign).phases(campaign)
    for phase in phases:
        if phase.start and phase.end:
            assert phase.end >= phase.start, phase.label


def test_the_campaign_form_shows_the_inverted_avis_period_on_its_field(client):
    """The ARS's campaign form: the refusal sits under « avis attendus pour le »."""
    from bs4 import BeautifulSoup

    from tests.conftest import login_verified

    world = make_world()
    login_verified(client, world.ars)
    year = timezone.localdate().year + 1
    response = client.post(
        "/cockpit/campagnes-agrements/nouveau/",
        {
            "region": region("84").pk,
            "year": year,
            "filing_opens": f"{year}-01-10",
            "filing_closes": f"{year}-03-15 18:00",
            "opinions_due": f"{year}-03-01",
            "commission_date": f"{year}-04-01",
            "decisions_by": f"{year}-05-01",
            "effective_from": f"{year}-11-01",
            "specialties": [specialty(CARDIO).pk],
            "phases": [p.pk for p in Phase.objects.all()],
            "form_version": "2026-1",
        },
    )
    assert response.status_code == 200
    assert AccreditationCampaign.objects.filter(year=year).count() == 0
    field = BeautifulSoup(response.content, "html.parser").find(id="id_opinions_due")
    group = field.find_parent(class_="fr-input-group")
    assert "fr-input-group--error" in group["class"]
    assert (
        f"Les avis attendus pour le 01/03/{year} précèdent la clôture des dépôts "
        f"(15/03/{year} à 18:00)."
    ) in group.get_text(" ", strip=True)


def test_check_order_compares_a_day_with_a_moment_s_local_day_and_skips_empty_ends():
    from types import SimpleNamespace

    from domains.cockpit.dates import check_order

    # 00:30 in Paris on the 15th is still the 14th in UTC: the local day counts.
    closes = moment("2027-03-15 00:30")
    check_order(SimpleNamespace(a=closes, b=dt.date(2027, 3, 15)), ("a", "b"))
    check_order(SimpleNamespace(a=dt.date(2027, 3, 15), b=None), ("a", "b"))
    with pytest.raises(ValidationError) as refusal:
        check_order(SimpleNamespace(a=closes, b=dt.date(2027, 3, 14)), ("a", "b"))
    assert refusal.value.message_dict == {
        "b": [PERIOD % ("14/03/2027", "15/03/2027 à 00:30")]
    }


def test_a_specialty_change_before_the_phase_began_ends_it_on_its_first_day():
    """The remorse granted for the semester the phase starts in: the phase used to
    end the day before it began, which the database now refuses."""
    from domains.residents.services import _change_specialty

    resident = make_resident(start=("winter", 2023))
    phase = PhasePeriod.objects.get(enrolment__resident=resident)
    situation = SpecialSituation.objects.create(
        resident=resident,
        kind=SituationKind.SPECIALTY_CHANGE,
        start_date=phase.start_date - dt.timedelta(days=15),
        end_date=phase.start_date + dt.timedelta(days=180),
        target_specialty=specialty("DES-MGE"),
    )
    _change_specialty(situation, SYSTEM)
    phase.refresh_from_db()
    assert phase.actual_end == phase.start_date
