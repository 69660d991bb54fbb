"""E-mails carry the ticket's tag; a reply dropped in the national mailbox is threaded
into its ticket by django-helpdesk's polling (run by django-q2), and a new message
becomes a level-2 request with its SIIMOP context."""

from urllib.parse import urlsplit

import pytest
from django.core import mail
from django_q.models import Schedule
from helpdesk.models import FollowUp, Ticket

from assistance.models import Category, Tier
from assistance.services import (
    answer_send,
    mailbox_configure,
    request_file,
    teams_setup,
)
from assistance.tasks import poll_mailbox
from tests.factories.referential import subdivision

pytestmark = pytest.mark.django_db


def _message(subject: str, body: str, sender: str = "lea@etu.exemple.fr", **headers):
    extra = "".join(f"{k}: {v}\n" for k, v in headers.items())
    return (
        f"From: Léa <{sender}>\nTo: assistance@uness.fr\nSubject: {subject}\n"
        f"Message-ID: <{abs(hash(subject))}@etu.exemple.fr>\n{extra}"
        "Content-Type: text/plain; charset=utf-8\n\n"
        f"{body}\n"
    )


@pytest.fixture
def mailbox(tmp_path):
    teams_setup()
    assert mailbox_configure({"type": "local", "local_dir": str(tmp_path)})
    return tmp_path


def test_polling_is_scheduled_and_idle_without_a_mailbox():
    teams_setup()
    assert Schedule.objects.filter(func="assistance.tasks.poll_mailbox").exists()
    assert poll_mailbox() == 0


def test_a_reply_by_email_is_threaded_into_its_ticket(
    mailbox, django_capture_on_commit_callbacks, people
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = request_file(
            title="Stage absent",
            description="Mon stage n'apparaît pas.",
            category=Category.PATH,
            email="lea@etu.exemple.fr",
            subdivision=subdivision("LYON"),
        )
    [ack] = mail.outbox
    assert f"[uness-{ticket.pk}]" in ack.subject
    assert f"/assistance/mes-demandes/{ticket.pk}/" in ack.body
    agent = people.support_l1
    with django_capture_on_commit_callbacks(execute=True):
        answer_send(by=agent, ticket=ticket, text="Pouvez-vous préciser le semestre ?")
    answer = mail.outbox[-1]
    assert (
        answer.extra_headers["Message-ID"]
        == FollowUp.objects.get(title="Réponse de l'assistance").message_id
    )

    (mailbox / "reply.eml").write_text(
        _message(f"Re: {answer.subject}", "C'est le semestre d'hiver 2025.")
    )
    sent = len(mail.outbox)
    poll_mailbox()
    ticket.refresh_from_db()
    assert ticket.followup_set.filter(
        comment__contains="semestre d'hiver 2025"
    ).exists()
    assert ticket.queue.team.subdivision == subdivision("LYON")  # stays in its team
    assert not list(mailbox.iterdir())  # processed messages leave the mailbox
    assert len(mail.outbox) == sent  # nobody is told about his own reply


def test_a_new_message_becomes_a_level_2_request(mailbox):
    (mailbox / "new.eml").write_text(
        _message("Impossible de me connecter", "Mon compte est bloqué.", "x@chu.fr")
    )
    poll_mailbox()
    ticket = Ticket.objects.get(title="Impossible de me connecter")
    assert ticket.submitter_email == "x@chu.fr"
    assert ticket.siimop.tier == Tier.LEVEL_2
    assert ticket.siimop.category == Category.OTHER
    assert ticket.siimop.first_response_due is not None
    [ack] = mail.outbox  # ours, in French, tagged for the replies
    assert (
        ack.subject
        == f"UNESS Assistance — demande n° {ticket.pk} reçue [uness-{ticket.pk}]"
    )
    assert ack.to == ["x@chu.fr"]


def test_django_helpdesks_links_lead_to_our_scoped_pages(client):
    teams_setup()
    ticket = request_file(
        title="Compte",
        description="…",
        category=Category.ACCOUNT,
        email="x@chu.fr",
        subdivision=subdivision("LYON"),
    )
    response = client.get(
        ticket.ticket_url.split("testserver", 1)[-1].split("8000")[-1]
    )
    assert response.status_code == 302
    assert response.url == f"/assistance/mes-demandes/{ticket.pk}/"
    staff = client.get(urlsplit(ticket.staff_url).path)
    assert staff.url == f"/cockpit/demandes-assistance/{ticket.pk}/"
