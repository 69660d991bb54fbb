"""E-mails of sign-in, sent by the django-q2 worker."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from .models import MagicLink
from .services import MAGIC_LINK_VALIDITY, magic_link_token


def send_magic_link(link_id: int) -> None:
    link = MagicLink.objects.select_related("user__person").filter(pk=link_id).first()
    if link is None or link.used_at is not None:
        return
    url = settings.WAGTAILADMIN_BASE_URL + reverse(
        "identity:magic_link", args=[magic_link_token(link)]
    )
    context = {
        "person": getattr(link.user, "person", None),
        "link": url,
        "minutes": int(MAGIC_LINK_VALIDITY.total_seconds() // 60),
    }
    send_mail(
        subject="SIIMOP — votre lien de connexion",
        message=render_to_string("identity/magic_link_email.txt", context),
        from_email=None,
        recipient_list=[link.email],
    )
