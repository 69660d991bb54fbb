"""django-q2 entry points of UNESS Assistance."""

from django.core.mail import send_mail
from helpdesk.models import Ticket


def send_acknowledgement(ticket_id: int) -> None:
    ticket = Ticket.objects.filter(pk=ticket_id).select_related("queue").first()
    if ticket is None or not ticket.submitter_email:
        return
    send_mail(
        subject=f"UNESS Assistance — demande n° {ticket.pk} reçue",
        message=(
            "Bonjour,\n\n"
            f"Votre demande « {ticket.title} » est enregistrée sous le n° {ticket.pk} "
            f"et confiée à l'équipe « {ticket.queue.title} ».\n"
            "Vous serez informé(e) par e-mail de chaque réponse.\n\n"
            "UNESS Assistance"
        ),
        from_email=None,
        recipient_list=[ticket.submitter_email],
    )


def send_answer(followup_id: int) -> None:
    from helpdesk.models import FollowUp

    followup = FollowUp.objects.filter(pk=followup_id).select_related("ticket").first()
    if followup is None or not followup.ticket.submitter_email:
        return
    ticket = followup.ticket
    send_mail(
        subject=f"UNESS Assistance — réponse à votre demande n° {ticket.pk}",
        message=(
            f"Bonjour,\n\nRéponse à votre demande « {ticket.title} » :\n\n"
            f"{followup.comment}\n\nUNESS Assistance"
        ),
        from_email=None,
        recipient_list=[ticket.submitter_email],
    )
