"""Every link of every e-mail the platform sends points to SIIMOP_BASE_URL: not to the
request's Host header (forged here), nor to the Sites framework's domain, nor to a
Wagtail site's hostname (both hostile here)."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from django.utils import timezone
from wagtail.models import Page
from wagtail.models import Site as WagtailSite

from domains.cockpit.links import absolute_url, site_domain_follow
from domains.people.roles import Role
from tests.factories.identity import account_request
from tests.factories.people import make_person, make_user_with_role
from tests.factories.referential import (
    SemesterFactory,
    TrainingSiteFactory,
    region,
    specialty,
    subdivision,
)

pytestmark = pytest.mark.django_db

BASE = "https://siimop.example.gouv.fr"
HOSTILE = "evil.example"
# Links that are legitimately elsewhere, and why.
EXTERNAL = {
    # A course session's video-conference room, at the provider the trainer chose.
    "https://visio.exemple-fournisseur.fr/salle-42",
}
URL = re.compile(r"https?://[^\s<>\"'\\]+")


@pytest.fixture(autouse=True)
def hostile_world(settings):
    settings.SIIMOP_BASE_URL = settings.WAGTAILADMIN_BASE_URL = BASE
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": HOSTILE, "name": HOSTILE}
    )
    # A second Wagtail site makes `page.url` absolute, with the site's hostname.
    WagtailSite.objects.filter(is_default_site=True).update(hostname=HOSTILE)
    other_root = Page.get_first_root_node().add_child(
        instance=Page(title="Autre site", slug="autre-site")
    )
    WagtailSite.objects.create(hostname=f"autre.{HOSTILE}", root_page=other_root)


@pytest.fixture
def client(client):
    """Every request says it is for the hostile host."""
    client.defaults["HTTP_HOST"] = HOSTILE
    return client


def links(message) -> list[str]:
    """Every http(s) URL of a message: text and HTML bodies, text attachments
    (calendar files, lines unfolded), headers (List-Unsubscribe)."""
    texts = [message.body]
    texts += [
        unescape(content) for content, _type in getattr(message, "alternatives", [])
    ]
    for attachment in message.attachments:
        content = attachment[1] if isinstance(attachment, tuple) else None
        if isinstance(content, str):
            texts.append(content.replace("\r\n ", "").replace("\n ", ""))
    texts += [str(value) for value in message.extra_headers.values()]
    return [url.rstrip(".,;:)»") for text in texts for url in URL.findall(text)]


CASES = {}
LINKLESS = {}


def case(name: str, *, linkless: bool = False):
    """A kind of e-mail: the function prepares the data and returns (trigger, which),
    `which` being a fragment of the subject of the kind's messages."""

    def register(function):
        (LINKLESS if linkless else CASES)[name] = function
        return function

    return register


def sent(name, registry, client, django_capture_on_commit_callbacks):
    trigger, which = registry[name](client)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        trigger()
    messages = [m for m in mail.outbox if which in m.subject]
    assert messages, f"no e-mail « {which} » among {[m.subject for m in mail.outbox]}"
    return messages


# Sign-in and onboarding ---------------------------------------------------------------


@case("password reset")
def _password_reset(client):
    make_person(email="claire@exemple.fr")
    return (
        lambda: client.post("/compte/mot-de-passe/", {"email": "claire@exemple.fr"}),
        "nouveau mot de passe",
    )


@case("magic link")
def _magic_link(client):
    make_person(email="sophie.moreau@chu-lyon.fr")
    return (
        lambda: client.post("/compte/lien/", {"email": "sophie.moreau@chu-lyon.fr"}),
        "votre lien de connexion",
    )


@case("account approved")
def _account_approved(client):
    request = account_request(training_site=TrainingSiteFactory())
    client.force_login(make_user_with_role(Role.ARS, region=region("84")))
    return (
        lambda: client.post(
            f"/cockpit/demandes-de-compte/{request.pk}/decision/accepter/"
        ),
        "votre compte est ouvert",
    )


@case("account request received", linkless=True)
def _account_request_received(client):
    data = {
        "civility": "MME",
        "first_name": "Louise",
        "last_name": "Martin",
        "email": "louise.martin@chu-lyon.fr",
        "phone": "",
        "role": Role.SITE_SUPERVISOR,
        "region": region("84").pk,
        "site_not_listed": "Clinique X, Lyon",
        "message": "",
    }
    return (
        lambda: client.post("/compte/demande/", data),
        "nous avons bien reçu votre demande",
    )


@case("account refused", linkless=True)
def _account_refused(client):
    request = account_request(site_not_listed="Urgences, Vienne")
    client.force_login(make_user_with_role(Role.ARS, region=region("84")))
    return (
        lambda: client.post(
            f"/cockpit/demandes-de-compte/{request.pk}/decision/refuser/",
            {"reason": "Service fermé depuis 2025."},
        ),
        "votre demande de compte",
    )


@case("e-mail address verification")
def _email_verification(client):
    person = make_person(email="alice@chu-lyon.fr")
    client.force_login(person.user)
    return (
        lambda: client.post(
            "/cockpit/mes-informations/adresses/", {"email": "alice@univ-lyon1.fr"}
        ),
        "vérifiez votre adresse",
    )


# Residents ----------------------------------------------------------------------------


@case("special situation decision")
def _situation_decision(client):
    from domains.residents.services import situation_decide, situation_request
    from tests.factories.residents import make_resident

    resident = make_resident(start=("winter", 2025))
    situation = situation_request(
        resident=resident,
        kind="remorse",
        target_specialty=specialty("DES-DVE"),
        start_date=dt.date(2026, 5, 1),
        end_date=dt.date(2026, 5, 1),
        today=dt.date(2026, 1, 15),
        by=resident.person.user,
    )
    SemesterFactory(season="summer", year=2026)
    registry = make_user_with_role(
        Role.FACULTY_REGISTRY, subdivision=subdivision("LYON")
    )
    return (
        lambda: situation_decide(
            situation=situation, approve=False, comment="Hors délai.", by=registry
        ),
        "votre demande :",
    )


# Matching -----------------------------------------------------------------------------


def _matching():
    from tests.factories.matching import matching_world

    return matching_world(residents=1, sites=1)


@case("matching reminder to candidates")
def _matching_reminder_candidates(client):
    from domains.matching.tasks import send_reminders

    world = _matching()
    ids = list(world.round.candidacies.values_list("pk", flat=True))
    return lambda: send_reminders("candidats", ids), "vos vœux"


@case("matching reminder to supervisors")
def _matching_reminder_supervisors(client):
    from domains.matching.tasks import send_reminders

    world = _matching()
    ids = [offer.pk for offer in world.offers]
    return lambda: send_reminders("responsables", ids), "classez vos candidats"


@case("matching result to residents")
def _matching_result_residents(client):
    from domains.matching.tasks import send_results

    world = _matching()
    return lambda: send_results(world.round.pk), "résultat de l'appariement"


@case("matching result to supervisors")
def _matching_result_supervisors(client):
    from domains.matching.tasks import send_results

    world = _matching()
    return lambda: send_results(world.round.pk), "sur votre terrain"


# Accreditation ------------------------------------------------------------------------


@case("accreditation campaign mailing")
def _accreditation_mailing(client):
    from domains.accreditation.tasks import send_mailing
    from tests.factories.accreditation import make_world

    world = make_world()  # published before its RTS and DAM existed: nobody reached
    mailing = world.campaign.mailings.get()
    return lambda: send_mailing(mailing.pk), mailing.subject


@case("accreditation filing reminder")
def _accreditation_reminder(client):
    from domains.accreditation.tasks import send_reminders
    from tests.factories.accreditation import make_world

    world = make_world()
    draft = world.new_request()
    return lambda: send_reminders([draft.pk]), "n'est pas déposé"


@case("accreditation decision letter")
def _accreditation_decision(client):
    from domains.accreditation import services
    from tests.factories.accreditation import fill, make_world

    world = make_world()
    accreditation_request = world.new_request()
    fill(world.rts, accreditation_request)
    services.request_submit(by=world.rts, accreditation_request=accreditation_request)
    world.close_filing()
    accreditation_request = world.to_commission(accreditation_request)
    services.proposal_record(
        by=world.ars, accreditation_request=accreditation_request, outcome="granted"
    )
    return (
        lambda: services.decision_record(
            by=world.ars, accreditation_request=accreditation_request
        ),
        "décision d'agrément",
    )


# Public site --------------------------------------------------------------------------


@case("announcement mailing of the public site")
def _announcement_mailing(client):
    from siimop_site.models import (
        CampaignAnnouncementPage,
        HomePage,
        MailingList,
        NewsIndexPage,
        Subscription,
    )

    rts = MailingList.objects.create(
        name="RTS ARA", roles=[Role.SITE_SUPERVISOR], region=region("84")
    )
    Subscription.objects.create(mailing_list=rts, email="abonne@exemple.fr")
    home = HomePage.objects.get()
    news = home.add_child(instance=NewsIndexPage(title="Actualités", slug="actualites"))

    def publish():
        page = news.add_child(
            instance=CampaignAnnouncementPage(
                title="Campagne d'agréments 2027 : ouverture",
                slug="agrements-2027",
                intro="Le dépôt des dossiers ouvre le 5 janvier.",
                notify=True,
            )
        )
        page.mailing_lists.set([rts])
        page.save_revision().publish()

    return publish, "Campagne d'agréments 2027"


# Training sessions --------------------------------------------------------------------


def _session(**fields):
    from tests.factories.courses import make_session

    return make_session(
        capacity=1, video_link="https://visio.exemple-fournisseur.fr/salle-42", **fields
    )


def _learners(n):
    return [make_user_with_role(Role.ARS, region=region("84")) for _ in range(n)]


@case("training session: registration confirmed")
def _session_registered(client):
    from courses.services import session_register

    session, [learner] = _session(), _learners(1)
    return (
        lambda: session_register(user=learner, session=session),
        "inscription est confirmée",
    )


@case("training session: waiting list")
def _session_waiting(client):
    from courses.services import session_register

    session, [first, second] = _session(), _learners(2)
    session_register(user=first, session=session)
    return lambda: session_register(user=second, session=session), "liste d'attente"


@case("training session: promoted from the waiting list")
def _session_promoted(client):
    from courses.services import session_register, session_unregister

    session, [first, second] = _session(), _learners(2)
    session_register(user=first, session=session)
    session_register(user=second, session=session)
    return (
        lambda: session_unregister(user=first, session=session),
        "une place s'est libérée",
    )


@case("training session: reminder the day before")
def _session_reminder(client):
    from courses.services import session_register
    from courses.tasks import send_session_reminders

    session = _session(
        starts_at=timezone.localtime().replace(hour=10, minute=0) + dt.timedelta(days=1)
    )
    [learner] = _learners(1)
    session_register(user=learner, session=session)
    return send_session_reminders, "rappel"


# UNESS Assistance ---------------------------------------------------------------------


def _ticket():
    from assistance.models import Category
    from assistance.services import request_file, teams_setup

    teams_setup()
    return request_file(
        title="Mot de passe oublié",
        description="Le lien ne marche pas.",
        category=Category.ACCOUNT,
        email="msu@cabinet-exemple.fr",
        subdivision=subdivision("LYON"),
    )


@case("assistance: request received")
def _assistance_received(client):
    return _ticket, "reçue"


@case("assistance: answer")
def _assistance_answer(client):
    from assistance.services import answer_send

    ticket = _ticket()
    agent = make_user_with_role(Role.SUPPORT_L1, subdivision=subdivision("LYON"))
    return (
        lambda: answer_send(by=agent, ticket=ticket, text="Demandez un nouveau lien."),
        "réponse à votre demande",
    )


# Wagtail's own notifications (moderation) ---------------------------------------------


@case("Wagtail: page submitted for moderation")
def _wagtail_moderation(client):
    from django.contrib.auth import get_user_model

    from siimop_site.models import HomePage, StandardPage

    get_user_model().objects.create_superuser(
        username="admin-uness", email="admin@uness.fr", password="x" * 20
    )
    editor = make_user_with_role(Role.ARS, region=region("84"))
    page = HomePage.objects.get().add_child(
        instance=StandardPage(title="À relire", slug="a-relire", live=False)
    )

    def submit():
        page.save_revision(user=editor)
        page.get_workflow().start(page, editor)

    return submit, "À relire"


# The tests ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(CASES))
def test_every_link_of_the_email_is_on_the_platform(
    kind, client, django_capture_on_commit_callbacks
):
    for message in sent(kind, CASES, client, django_capture_on_commit_callbacks):
        found = links(message)
        assert found, f"{kind}: no link at all in {message.body!r}"
        wrong = [u for u in found if not u.startswith(BASE + "/") and u not in EXTERNAL]
        assert not wrong, f"{kind}: links off the platform {wrong}"


@pytest.mark.parametrize("kind", sorted(LINKLESS))
def test_emails_without_links_have_none(
    kind, client, django_capture_on_commit_callbacks
):
    """Nothing to follow in these: a link added one day belongs in the cases above."""
    for message in sent(kind, LINKLESS, client, django_capture_on_commit_callbacks):
        assert links(message) == []


def test_the_helper_builds_from_the_setting_whatever_the_sites_say():
    from siimop_site.models import HomePage

    home = HomePage.objects.get()
    assert HOSTILE in home.url  # Wagtail's own idea of the page's address
    assert absolute_url(home) == BASE + "/"
    assert absolute_url("/apprendre/") == BASE + "/apprendre/"
    assert absolute_url("identity:magic_link", "abc") == BASE + "/compte/lien/abc/"
    assert absolute_url("unsubscribe", token="t") == BASE + "/listes/desabonnement/t/"


def test_after_migrate_the_sites_domain_follows_the_base_url_for_django_helpdesk():
    """django-helpdesk builds its ticket links (and its own notifications, which
    SIIMOP does not send) from the Sites framework."""
    from django.apps import apps

    ticket = _ticket()
    assert urlsplit(ticket.staff_url).netloc == HOSTILE
    site_domain_follow(apps.get_app_config("sites"), apps=apps)
    assert Site.objects.get_current().domain == "siimop.example.gouv.fr"
    for url in (ticket.ticket_url, ticket.staff_url):
        assert urlsplit(url).netloc == "siimop.example.gouv.fr"
