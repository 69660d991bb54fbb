"""E-mails of the residents domain, sent by the django-q2 worker."""

from django.core.mail import send_mail
from django.template.loader import render_to_string

from domains.cockpit.links import absolute_url

from .models import SpecialSituation


def send_situation_decision(situation_id: int) -> None:
    situation = (
        SpecialSituation.objects.select_related("resident__person")
        .filter(pk=situation_id)
        .first()
    )
    if situation is None:
        return
    person = situation.resident.person
    send_mail(
        subject=f"SIIMOP — votre demande : {situation.get_kind_display()}",
        message=render_to_string(
            "residents/situation_decision_email.txt",
            {
                "situation": situation,
                "person": person,
                "link": absolute_url("cockpit:my_path"),
            },
        ),
        from_email=None,
        recipient_list=[person.primary_email],
    )
