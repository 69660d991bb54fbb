"""django-q2 entry points of UNESS Assistance. Subjects carry the ticket's tag so
that e-mailed replies are threaded into it (see `poll_mailbox`)."""

from email.utils import make_msgid
from unittest.mock import patch

from django.core.mail import EmailMessage
from django.utils.translation import gettext as _
from helpdesk.email import process_email
from helpdesk.models import FollowUp, Queue, Ticket

from domains.cockpit.links import absolute_url
from helpdesk import email as helpdesk_email

from .services import mailed_tickets_complete, subject_tag


def _send(ticket: Ticket, subject: str, body: str, message_id: str = "") -> None:
    headers = {"Message-ID": message_id} if message_id else {}
    EmailMessage(
        subject=f"{subject} {subject_tag(ticket)}",
        body=body
        + "\n\n"
        + _("Répondez à cet e-mail pour compléter votre demande, ou suivez-la sur %s")
        % _my_request_url(ticket)
        + "\n\nUNESS Assistance",
        to=[ticket.submitter_email],
        headers=headers,
    ).send()


def _my_request_url(ticket: Ticket) -> str:
    return absolute_url("assistance:request", ticket.pk)


def send_acknowledgement(ticket_id: int) -> None:
    ticket = Ticket.objects.filter(pk=ticket_id).select_related("queue").first()
    if ticket is None or not ticket.submitter_email:
        return
    _send(
        ticket,
        _("UNESS Assistance — demande n° %s reçue") % ticket.pk,
        _(
            "Bonjour,\n\nVotre demande « %(title)s » est enregistrée sous le n° %(n)s "
            "et confiée à l'équipe « %(team)s ».\n"
            "Vous serez informé(e) par e-mail de chaque réponse."
        )
        % {"title": ticket.title, "n": ticket.pk, "team": ticket.queue.title},
    )


def send_answer(followup_id: int) -> None:
    followup = FollowUp.objects.filter(pk=followup_id).select_related("ticket").first()
    if followup is None or not followup.ticket.submitter_email:
        return
    ticket = followup.ticket
    # Stored on the follow-up: a reply's In-Reply-To header threads it here.
    message_id = make_msgid(domain="siimop.fr")
    FollowUp.objects.filter(pk=followup.pk).update(message_id=message_id)
    _send(
        ticket,
        _("UNESS Assistance — réponse à votre demande n° %s") % ticket.pk,
        _("Bonjour,\n\nRéponse à votre demande « %(title)s » :\n\n%(answer)s")
        % {"title": ticket.title, "answer": followup.comment},
        message_id,
    )


def poll_mailbox() -> int:
    """Scheduled: django-helpdesk reads the national mailbox (replies threaded by the
    subject tag or In-Reply-To; new messages become level-2 requests)."""
    if not Queue.objects.filter(email_box_type__isnull=False).exists():
        return 0
    # django-helpdesk would answer every message with its own English notification
    # (and tell the sender about his own reply): ours are sent instead, in French.
    with patch.object(helpdesk_email, "send_info_email", lambda *args: set()):
        process_email(quiet=True)
    tickets = mailed_tickets_complete()
    for ticket in tickets:
        send_acknowledgement(ticket.pk)
    return len(tickets)
