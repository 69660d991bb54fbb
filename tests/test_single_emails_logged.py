"""Every single e-mail of sign-in, onboarding, UNESS Assistance and the training
sessions leaves through the one mailer: its subject and body from its templates, and a
row in the delivery log (`cockpit.EmailLog`) naming its template. No sign-in link nor
reset token is ever stored there, nor passed to a background task."""

from __future__ import annotations

import datetime as dt
import re
from unittest.mock import patch

import pytest
from django.core import mail
from django.utils import timezone

from domains.cockpit.models import EmailLog
from domains.people.roles import Role
from tests.factories.identity import account_request
from tests.factories.people import make_person, make_user_with_role
from tests.factories.referential import TrainingSiteFactory, region, subdivision

pytestmark = pytest.mark.django_db

CASES = {}


def case(template: str):
    """The function prepares the data and returns the trigger of the template's
    message(s)."""

    def register(function):
        CASES[template] = function
        return function

    return register


def _ars():
    return make_user_with_role(Role.ARS, region=region("84"))


@case("identity/magic_link_email")
def _magic_link(client):
    from domains.identity.services import magic_link_request

    make_person(email="sophie.moreau@chu-lyon.fr")
    return lambda: magic_link_request(email="sophie.moreau@chu-lyon.fr")


@case("identity/password_reset_email")
def _password_reset(client):
    make_person(email="claire@exemple.fr")
    return lambda: client.post("/compte/mot-de-passe/", {"email": "claire@exemple.fr"})


@case("identity/account_request_received_email")
def _account_request_received(client):
    from domains.identity.services import account_request_submit

    return lambda: account_request_submit(
        civility="MME",
        first_name="Louise",
        last_name="Martin",
        email="louise.martin@chu-lyon.fr",
        role=Role.SITE_SUPERVISOR,
        region=region("84"),
        site_not_listed="Clinique X, Lyon",
    )


@case("identity/account_approved_email")
def _account_approved(client):
    from domains.identity.services import account_request_approve

    request, by = account_request(training_site=TrainingSiteFactory()), _ars()
    return lambda: account_request_approve(account_request=request, by=by)


@case("identity/account_refused_email")
def _account_refused(client):
    from domains.identity.services import account_request_refuse

    request, by = account_request(site_not_listed="Urgences, Vienne"), _ars()
    return lambda: account_request_refuse(
        account_request=request, by=by, reason="Service fermé depuis 2025."
    )


def _ticket():
    from assistance.models import Category
    from assistance.services import request_file, teams_setup

    teams_setup()
    return request_file(
        title="Stage d'été absent",
        description="Mon stage n'apparaît pas.",
        category=Category.PATH,
        email="interne@etu.exemple.fr",
        subdivision=subdivision("LYON"),
    )


@case("assistance/acknowledgement")
def _assistance_received(client):
    return _ticket


@case("assistance/answer")
def _assistance_answer(client):
    from assistance.services import answer_send

    ticket = _ticket()
    agent = make_user_with_role(Role.SUPPORT_L1, subdivision=subdivision("LYON"))
    return lambda: answer_send(by=agent, ticket=ticket, text="C'est noté.")


def _learners(n):
    return [_ars() for _ in range(n)]


@case("courses/session_registered")
def _session_registered(client):
    from courses.services import session_register
    from tests.factories.courses import make_session

    session, [learner] = make_session(capacity=1), _learners(1)
    return lambda: session_register(user=learner, session=session)


@case("courses/session_waiting")
def _session_waiting(client):
    from courses.services import session_register
    from tests.factories.courses import make_session

    session, [first, second] = make_session(capacity=1), _learners(2)
    session_register(user=first, session=session)
    return lambda: session_register(user=second, session=session)


@case("courses/session_promoted")
def _session_promoted(client):
    from courses.services import session_register, session_unregister
    from tests.factories.courses import make_session

    session, [first, second] = make_session(capacity=1), _learners(2)
    session_register(user=first, session=session)
    session_register(user=second, session=session)
    return lambda: session_unregister(user=first, session=session)


@case("courses/session_reminder")
def _session_reminder(client):
    from courses.services import session_register
    from courses.tasks import send_session_reminders
    from tests.factories.courses import make_session

    session = make_session(
        starts_at=timezone.localtime().replace(hour=10, minute=0) + dt.timedelta(days=1)
    )
    [learner] = _learners(1)
    session_register(user=learner, session=session)
    return send_session_reminders


@pytest.mark.parametrize("template", sorted(CASES))
def test_the_message_is_logged_with_its_template(
    template, client, django_capture_on_commit_callbacks
):
    trigger = CASES[template](client)
    mail.outbox.clear()
    EmailLog.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        trigger()
    logged = EmailLog.objects.filter(template=template)
    assert logged.exists(), (
        f"{template} not in the log: {list(EmailLog.objects.values_list('template'))}"
    )
    for log in logged:
        [message] = [m for m in mail.outbox if m.to == [log.email] and log.sent]
        assert (log.subject, log.error) == (message.subject, "")
        # Plain text as typed, not HTML-escaped.
        assert "&#x27;" not in message.subject + message.body
        # The log keeps no body: no link of the message is in it.
        for url in re.findall(r"https?://\S+", message.body):
            assert url not in f"{log.subject} {log.template} {log.email}"


def test_the_assistance_messages_keep_the_ticket_tag_and_the_persons_words(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = _ticket()
    [ack] = mail.outbox
    assert ack.subject == (
        f"UNESS Assistance — demande n° {ticket.pk} reçue [uness-{ticket.pk}]"
    )
    assert "Votre demande « Stage d'été absent » est enregistrée" in ack.body
    assert ack.body.rstrip().endswith("UNESS Assistance")


def test_a_reset_link_is_made_by_the_worker_never_passed_to_it(
    client, django_capture_on_commit_callbacks
):
    person = make_person(email="claire@exemple.fr")
    queued = []
    with (
        patch("django_q.tasks.async_task", lambda *args: queued.append(args)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post("/compte/mot-de-passe/", {"email": "claire@exemple.fr"})
    assert queued == [
        (
            "domains.identity.tasks.send_password_reset",
            person.user.pk,
            "claire@exemple.fr",
        )
    ]
    from domains.identity.tasks import send_password_reset

    send_password_reset(person.user.pk, "claire@exemple.fr")
    [message] = mail.outbox
    path = re.search(r"https?://\S+", message.body).group(0).split("/", 3)[3]
    assert path.startswith("compte/mot-de-passe/")
    page = client.get("/" + path, follow=True).content.decode()
    assert "Enregistrer le mot de passe" in page  # a valid link
