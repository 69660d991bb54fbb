"""django-q2 entry points of the public site."""

from .mailings import mailing_send
from .models import Mailing


def send_mailing(mailing_id: int) -> None:
    mailing = Mailing.objects.filter(pk=mailing_id).first()
    if mailing is not None:
        mailing_send(mailing)
