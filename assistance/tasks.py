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
