"""E-mails of the residents domain, sent by the django-q2 worker."""

from domains.cockpit import mailer
from domains.cockpit.links import absolute_url

from .models import SpecialSituation


def send_situation_decision(situation_id: int) -> None:
    """Tell the resident the decision on her request (accepted or refused, why)."""
    situation = (
        SpecialSituation.objects.select_related("resident__person")
        .filter(pk=situation_id)
        .first()
    )
    if situation is None:
        return
    person = situation.resident.person
    mailer.send(
        to=person.primary_email,
        template="residents/situation_decision",
        context={
            "situation": situation,
            "person": person,
            "link": absolute_url("cockpit:my_path"),
        },
    )
