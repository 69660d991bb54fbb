"""The request's life through the services: each transition for the right actor
only, the deadline and its reopening, the rules on sites and specialties, versions,
opinions, the decision creating the accreditation with its dates, letters."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from domains.accreditation import services
from domains.accreditation.models import (
    AccreditationRequest,
    RequestStatus,
    Transition,
)
from domains.cockpit.bulk import RowRefused
from domains.people.permissions import SYSTEM
from domains.referential.models import Accreditation, DataQuality
from tests.factories.accreditation import CARDIO, fill, make_world
from tests.factories.referential import (
    AccreditationFactory,
    TrainingSiteFactory,
    phase,
    specialty,
    subdivision,
)

pytestmark = pytest.mark.django_db

REFUSED = "n'est pas ouvert à votre fonction"


def unwrapped(batch):
    """A batch's refusal names the request; its cause is the service's own."""
    try:
        return batch()
    except RowRefused as refused:
        raise refused.__cause__ from None


def test_the_whole_path_creates_a_five_year_accreditation_and_sends_the_letters(
    django_capture_on_commit_callbacks,
):
    w = make_world()
    accreditation_request = w.new_request()
    fill(w.rts, accreditation_request)
    first = services.request_submit(
        by=w.rts, accreditation_request=accreditation_request
    )
    fill(w.rts, accreditation_request, max_residents=4)
    second = services.request_submit(
        by=w.rts, accreditation_request=accreditation_request
    )
    assert (first.number, second.number) == (1, 2)
    assert first.content["max_residents"] == 3 and second.content["max_residents"] == 4
    assert w.close_filing() == 1
    accreditation_request = w.to_commission(accreditation_request)
    services.proposal_record(
        by=w.ars, accreditation_request=accreditation_request, outcome="granted"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_record(by=w.ars, accreditation_request=accreditation_request)
    accreditation_request.refresh_from_db()
    assert (
        accreditation_request.status == RequestStatus.DECIDED
        and accreditation_request.decision == "granted"
    )
    accreditation = accreditation_request.accreditation
    start = w.campaign.effective_from
    assert (accreditation.start_date, accreditation.end_date) == (
        start,
        start.replace(year=start.year + 5) - dt.timedelta(days=1),
    )
    assert accreditation.state == "granted" and accreditation.training_site == w.site
    assert set(accreditation.phases.values_list("code", flat=True)) == {
        "socle",
        "approfondissement",
    }
    assert accreditation.supervisor == w.rts.person
    # One letter each to the RTS and the DAM, the decision attached.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([w.rts.email, w.dam.email])
    for letter in mail.outbox:
        [(name, content, mimetype)] = letter.attachments
        assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    assert list(
        Transition.objects.filter(request=accreditation_request).values_list(
            "action", flat=True
        )
    ) == [
        "create",
        "submit",
        "submit",
        "close_filing",
        "opinion",
        "opinion",
        "schedule",
        "propose",
        "decide",
    ]


@pytest.mark.parametrize(
    "action, allowed",
    [
        ("submit", {"rts"}),
        ("schedule", {"ars"}),
        ("propose", {"ars"}),
        ("decide", {"ars"}),
        ("opinion", {"coordinator", "representative"}),
        ("remind", {"ars", "registry"}),
    ],
)
def test_each_transition_is_for_its_actors_only(action, allowed):
    w = make_world()
    accreditation_request = w.new_request()
    fill(w.rts, accreditation_request)
    if action in ("schedule", "propose", "decide", "opinion"):
        services.request_submit(by=w.rts, accreditation_request=accreditation_request)
        w.close_filing()
    if action in ("propose", "decide"):
        accreditation_request = w.to_commission(accreditation_request)
    if action == "decide":
        services.proposal_record(
            by=w.ars, accreditation_request=accreditation_request, outcome="granted"
        )

    def attempt(user):
        r = AccreditationRequest.objects.get(pk=accreditation_request.pk)
        with_args = {
            "submit": lambda: services.request_submit(by=user, accreditation_request=r),
            "schedule": lambda: services.request_schedule(
                by=user, accreditation_request=r
            ),
            "propose": lambda: services.proposal_record(
                by=user, accreditation_request=r, outcome="granted"
            ),
            "decide": lambda: services.decision_record(
                by=user, accreditation_request=r
            ),
            "opinion": lambda: services.opinion_give(
                by=user,
                accreditation_request=r,
                value="favourable",
                comment="Très bon terrain.",
            ),
            "remind": lambda: unwrapped(
                lambda: services.requests_remind(by=user, accreditation_requests=[r])
            ),
        }
        with_args[action]()

    for name, user in w.everyone().items():
        if name in allowed:
            continue
        with pytest.raises(PermissionDenied, match=REFUSED):
            attempt(user)
    for name in sorted(allowed):
        attempt(w.everyone()[name])
    assert Transition.objects.filter(
        request=accreditation_request, action=action
    ).count() == len(allowed)


def test_no_filing_after_the_deadline_unless_the_ars_reopens_with_a_reason():
    w = make_world()
    accreditation_request = w.new_request()
    fill(w.rts, accreditation_request)
    w.close_filing()
    with pytest.raises(ValidationError, match="Le dépôt est clos depuis le"):
        services.request_submit(by=w.rts, accreditation_request=accreditation_request)
    with pytest.raises(ValidationError, match="Le dépôt est clos"):
        fill(w.rts, accreditation_request, research="Ajout tardif.")
    with pytest.raises(ValidationError, match="pourquoi le dépôt est rouvert"):
        services.request_reopen(
            by=w.ars,
            accreditation_request=accreditation_request,
            until=timezone.now() + dt.timedelta(days=2),
            reason=" ",
        )
    with pytest.raises(PermissionDenied, match=REFUSED):
        services.request_reopen(
            by=w.rts,
            accreditation_request=accreditation_request,
            until=timezone.now() + dt.timedelta(days=2),
            reason="Je suis en retard.",
        )
    services.request_reopen(
        by=w.ars,
        accreditation_request=accreditation_request,
        until=timezone.now() + dt.timedelta(days=2),
        reason="Responsable arrivé le 2 du mois.",
    )
    services.request_submit(by=w.rts, accreditation_request=accreditation_request)
    accreditation_request.refresh_from_db()
    assert accreditation_request.status == RequestStatus.SUBMITTED
    assert Transition.objects.get(
        request=accreditation_request, action="reopen"
    ).reason == ("Responsable arrivé le 2 du mois.")


def test_filing_opens_at_midnight_in_france_not_in_utc():
    w = make_world()
    opening = w.campaign.filing_opens
    # 00:30 in Paris on the opening day is still the day before in UTC, the time
    # the server's clock (timezone.now()) gives.
    half_past_midnight = timezone.make_aware(
        dt.datetime.combine(opening, dt.time(0, 30)),
        timezone.get_default_timezone(),
    ).astimezone(dt.UTC)
    assert half_past_midnight.date() < opening
    accreditation_request = w.new_request(now=half_past_midnight)
    assert accreditation_request.status == RequestStatus.DRAFT
    with pytest.raises(ValidationError, match="Les dépôts ouvrent le"):
        w.new_request(now=half_past_midnight - dt.timedelta(hours=1))


def test_filing_only_on_clean_sites_of_the_region_in_the_campaign_specialties():
    w = make_world()
    dirty = TrainingSiteFactory(subdivision=subdivision("LYON"))
    dirty.establishment.data_quality = DataQuality.TO_FIX
    dirty.establishment.save()
    from domains.people.roles import Role
    from domains.people.services import function_grant

    function_grant(
        person=w.rts.person,
        role=Role.SITE_SUPERVISOR,
        training_site=dirty,
        start_date=dt.date(2024, 9, 1),
        by=SYSTEM,
    )
    with pytest.raises(ValidationError, match="FINESS ou SIRET à corriger"):
        w.new_request(site=dirty)
    with pytest.raises(ValidationError, match="La campagne ne porte pas sur"):
        w.new_request(specialty_code="DES-MUR")
    assert not AccreditationRequest.objects.exists()


def test_principal_needs_the_supervisor_specialty_complementary_the_principal():
    w = make_world()
    accreditation_request = w.new_request(specialty_code="DES-MGE")
    fill(w.rts, accreditation_request)  # the supervisor is a cardiologist
    with pytest.raises(ValidationError, match="demandez un agrément complémentaire"):
        services.request_submit(by=w.rts, accreditation_request=accreditation_request)
    fill(w.rts, accreditation_request, type="complementary")
    services.request_submit(by=w.rts, accreditation_request=accreditation_request)
    w.close_filing()
    # General practice: the cardiology coordinator has no say, his colleague has.
    with pytest.raises(PermissionDenied, match=REFUSED):
        services.opinion_give(
            by=w.coordinator,
            accreditation_request=accreditation_request,
            value="favourable",
            comment="Bien.",
        )
    services.opinion_give(
        by=w.other_coordinator,
        accreditation_request=accreditation_request,
        value="favourable",
        comment="Bien.",
    )
    services.opinion_give(
        by=w.representative,
        accreditation_request=accreditation_request,
        value="favourable",
        comment="Bien.",
    )
    accreditation_request = w.to_commission(accreditation_request, opinions=False)
    services.proposal_record(
        by=w.ars, accreditation_request=accreditation_request, outcome="granted"
    )
    with pytest.raises(ValidationError, match="suppose un agrément principal"):
        services.decision_record(by=w.ars, accreditation_request=accreditation_request)
    # With a principal ending sooner, the complementary stops with it.
    AccreditationFactory(
        training_site=w.site,
        specialty=specialty(CARDIO),
        start_date=dt.date(2024, 11, 1),
        end_date=w.campaign.effective_from + dt.timedelta(days=400),
    )
    services.decision_record(by=w.ars, accreditation_request=accreditation_request)
    accreditation_request.refresh_from_db()
    assert (
        accreditation_request.accreditation.end_date
        == w.campaign.effective_from + dt.timedelta(days=400)
    )
    assert accreditation_request.accreditation.type == "complementary"


def test_a_decision_needs_the_required_opinions_or_an_override_and_reasons():
    w = make_world()
    accreditation_request = w.filed()
    w.close_filing()
    accreditation_request = w.to_commission(accreditation_request, opinions=False)
    with pytest.raises(ValidationError, match="Motivez la proposition"):
        services.proposal_record(
            by=w.ars, accreditation_request=accreditation_request, outcome="provisional"
        )
    services.proposal_record(
        by=w.ars,
        accreditation_request=accreditation_request,
        outcome="provisional",
        reason="Encadrement à étoffer.",
    )
    with pytest.raises(ValidationError) as missing:
        services.decision_record(by=w.ars, accreditation_request=accreditation_request)
    assert (
        "Avis requis manquant(s) : Coordonnateur de DES, Représentant des internes"
        in (str(missing.value))
    )
    with pytest.raises(ValidationError, match="diffère de la proposition"):
        services.decision_record(
            by=w.ars,
            accreditation_request=accreditation_request,
            outcome="granted",
            override="Avis non rendus.",
        )
    services.decision_record(
        by=w.ars,
        accreditation_request=accreditation_request,
        override="Le coordonnateur n'a pas répondu malgré deux relances.",
    )
    accreditation_request.refresh_from_db()
    assert (
        accreditation_request.decision == "provisional"
        and accreditation_request.opinions_override
    )
    start = w.campaign.effective_from
    assert accreditation_request.accreditation.end_date == start.replace(
        year=start.year + 1
    ) - (dt.timedelta(days=1))


def test_a_renewal_is_prepared_at_publication_and_takes_over_the_former_accreditation():
    site = TrainingSiteFactory(subdivision=subdivision("LYON"))
    today = timezone.localdate()
    former = AccreditationFactory(
        training_site=site,
        specialty=specialty(CARDIO),
        start_date=dt.date(2021, 11, 1),
        end_date=dt.date(today.year + 1, 12, 31),
        phases=[phase("socle")],
    )
    w = make_world()  # publication happens here
    renewal = AccreditationRequest.objects.get(renewal_of=former)
    assert renewal.status == RequestStatus.DRAFT and renewal.training_site == site
    assert list(renewal.phases.values_list("code", flat=True)) == ["socle"]
    assert "Renouvellement pré-sélectionné" in renewal.transitions.get().reason
    # Through to the decision: the former ends the day before the new one starts.
    from domains.people.roles import Role
    from domains.people.services import function_grant

    function_grant(
        person=w.rts.person,
        role=Role.SITE_SUPERVISOR,
        training_site=site,
        start_date=dt.date(2024, 9, 1),
        by=SYSTEM,
    )
    fill(w.rts, renewal)
    services.request_submit(by=w.rts, accreditation_request=renewal)
    w.close_filing()
    renewal = w.to_commission(renewal)
    services.proposal_record(by=w.ars, accreditation_request=renewal, outcome="granted")
    services.decision_record(by=w.ars, accreditation_request=renewal)
    former.refresh_from_db()
    assert former.end_date == w.campaign.effective_from - dt.timedelta(days=1)


def test_a_new_supervisor_puts_the_site_accreditations_up_for_review():
    from domains.accreditation.selectors import accreditations_to_review
    from domains.people.roles import Role
    from domains.people.services import function_end, function_grant
    from tests.factories.people import make_person

    w = make_world()
    accreditation = AccreditationFactory(
        training_site=w.site,
        supervisor=w.rts.person,
        end_date=timezone.localdate() + dt.timedelta(days=1000),  # in force today
    )
    assert not accreditations_to_review(Accreditation.objects.all()).exists()
    function_end(
        function=w.rts.person.functions.get(),
        end_date=timezone.localdate() - dt.timedelta(days=1),
        by=SYSTEM,
    )
    function_grant(
        person=make_person(),
        role=Role.SITE_SUPERVISOR,
        training_site=w.site,
        start_date=timezone.localdate(),
        by=SYSTEM,
    )
    assert list(accreditations_to_review(Accreditation.objects.all())) == [
        accreditation
    ]


def test_the_mailing_reaches_every_rts_and_dam_of_the_region_once(
    client, django_capture_on_commit_callbacks
):
    from domains.accreditation.models import CampaignMailing
    from domains.people.roles import Role
    from domains.people.services import function_grant
    from tests.factories.people import make_user_with_role
    from tests.factories.referential import region

    w = make_world()  # published already: its mailing found nobody yet
    both = make_user_with_role(Role.SITE_SUPERVISOR, training_site=w.site)
    function_grant(
        person=both.person,
        role=Role.MEDICAL_AFFAIRS,
        establishment=w.site.establishment,
        start_date=dt.date(2024, 9, 1),
        by=SYSTEM,
    )
    elsewhere = TrainingSiteFactory(subdivision=subdivision("ILE_DE_FRANCE"))
    outsider = make_user_with_role(Role.SITE_SUPERVISOR, training_site=elsewhere)
    from domains.accreditation.services import campaign_create, campaign_publish
    from siimop_site.models import HomePage, NewsIndexPage
    from siimop_site.pages import publish

    publish(
        HomePage.objects.get(), NewsIndexPage(title="Actualités", slug="actualites")
    )
    today = timezone.localdate()
    second = campaign_create(
        by=w.ars,
        region=region("84"),
        year=today.year + 1,
        filing_opens=today,
        filing_closes=timezone.now() + dt.timedelta(days=5),
        opinions_due=today + dt.timedelta(days=10),
        commission_date=today + dt.timedelta(days=12),
        decisions_by=today + dt.timedelta(days=14),
        effective_from=today + dt.timedelta(days=300),
        specialties=[specialty(CARDIO)],
        phases=[phase("socle")],
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        mailing = campaign_publish(by=w.ars, campaign=second)
    mailing = CampaignMailing.objects.get(pk=mailing.pk)
    addressed = sorted(address for m in mail.outbox for address in m.to)
    assert addressed == sorted([w.rts.email, w.dam.email, both.email])
    assert outsider.email not in addressed
    assert (mailing.total, mailing.sent, mailing.failed, mailing.status) == (
        3,
        3,
        0,
        "done",
    )
    log = dict(mailing.deliveries.values_list("email", "roles"))
    assert log[both.email] == "DAM, RTS" and log[w.rts.email] == "RTS"
    assert all(d.sent_at for d in mailing.deliveries.all())
    # The ARS downloads the delivery log.
    from openpyxl import load_workbook

    client.force_login(w.ars)
    log_file = client.get(
        f"/cockpit/campagnes-agrements/{second.pk}/envoi/journal.xlsx"
    )
    sheet = load_workbook(io.BytesIO(b"".join(log_file.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sorted(r[0] for r in rows) == sorted(log) and all(r[2] for r in rows)
    client.force_login(w.other_ars)
    assert (
        client.get(
            f"/cockpit/campagnes-agrements/{second.pk}/envoi/journal.xlsx"
        ).status_code
        == 404
    )
    # The announcement is on the public site, linked to the campaign.
    from siimop_site.models import CampaignAnnouncementPage

    page = CampaignAnnouncementPage.objects.get(campaign_id=second.pk)
    assert page.live and page.campaign == second
    assert page.campaign_facts()["state"].label == "Dépôts ouverts"
    # The RTS's space and the ARS's campaign page link to it, while it is live.
    link = f'href="{page.url}"'
    client.force_login(w.rts)
    assert link in client.get("/cockpit/mes-agrements/").content.decode()
    client.force_login(w.ars)
    assert link in client.get(second.get_absolute_url()).content.decode()
    page.unpublish()
    assert link not in client.get(second.get_absolute_url()).content.decode()


def test_the_visit_report_and_withdrawal_are_for_their_actors():
    from domains.accreditation.models import Attachment
    from tests.factories.matching import pdf

    w = make_world()
    accreditation_request = w.filed()
    with pytest.raises(PermissionDenied, match=REFUSED):
        services.attachment_add(
            by=w.representative,
            accreditation_request=accreditation_request,
            title="Rapport",
            upload=pdf("rapport.pdf"),
            kind="visit_report",
        )
    services.attachment_add(
        by=w.coordinator,
        accreditation_request=accreditation_request,
        title="Rapport de visite du 12 mars",
        upload=pdf("rapport.pdf"),
        kind="visit_report",
    )
    report = Attachment.objects.get(request=accreditation_request)
    assert report.kind == "visit_report" and report.uploaded_by == w.coordinator
    assert report.file.read().startswith(b"%PDF")
    with pytest.raises(PermissionDenied, match=REFUSED):
        services.request_withdraw(by=w.ars, accreditation_request=accreditation_request)
    services.request_withdraw(
        by=w.rts,
        accreditation_request=accreditation_request,
        reason="Service restructuré.",
    )
    accreditation_request.refresh_from_db()
    assert accreditation_request.status == RequestStatus.WITHDRAWN
    with pytest.raises(ValidationError, match="la demande est « Retirée »"):
        services.request_submit(by=w.rts, accreditation_request=accreditation_request)
