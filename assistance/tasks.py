"""django-q2 entry points of UNESS Assistance. Subjects carry the ticket's tag so
that e-mailed replies are threaded into it (see `poll_mailbox`)."""

from email.utils import make_msgid
from unittest.mock import patch

from helpdesk.email import process_email
from helpdesk.models import FollowUp, Queue, Ticket

from domains.cockpit import mailer
from domains.cockpit.links import absolute_url
from helpdesk import email as helpdesk_email

from .services import mailed_tickets_complete, subject_tag


def _send(ticket: Ticket, template: str, message_id: str = "", **context) -> None:
    mailer.send(
        to=ticket.submitter_email,
        template=template,
        context=context
        | {
            "ticket": ticket,
            "tag": subject_tag(ticket),
            "my_request_url": absolute_url("assistance:request", ticket.pk),
        },
        headers={"Message-ID": message_id} if message_id else None,
    )


def send_acknowledgement(ticket_id: int) -> None:
    ticket = Ticket.objects.filter(pk=ticket_id).select_related("queue").first()
    if ticket is None or not ticket.submitter_email:
        return
    _send(ticket, "assistance/acknowledgement")


def send_answer(followup_id: int) -> None:
    followup = FollowUp.objects.filter(pk=followup_id).select_related("ticket").first()
    if followup is None or not followup.ticket.submitter_email:
        return
    # Stored on the follow-up: a reply's In-Reply-To header threads it here.
    message_id = make_msgid(domain="siimop.fr")
    FollowUp.objects.filter(pk=followup.pk).update(message_id=message_id)
    _send(followup.ticket, "assistance/answer", message_id, followup=followup)


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
