"""E-mails of sign-in and onboarding, sent by the django-q2 worker."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from domains.cockpit.links import absolute_url
from domains.people.roles import Role

from .models import AccountRequest, ConsumedAssertion, MagicLink
from .services import MAGIC_LINK_VALIDITY, magic_link_token


def _send_link(link_id: int, template: str, subject: str, **context) -> None:
    link = MagicLink.objects.select_related("user__person").filter(pk=link_id).first()
    if link is None or link.used_at is not None:
        return
    url = absolute_url("identity:magic_link", magic_link_token(link))
    context |= {
        "person": getattr(link.user, "person", None),
        "link": url,
        "minutes": int(MAGIC_LINK_VALIDITY.total_seconds() // 60),
    }
    send_mail(
        subject=subject,
        message=render_to_string(template, context),
        from_email=None,
        recipient_list=[link.email],
    )


def send_magic_link(link_id: int) -> None:
    _send_link(
        link_id, "identity/magic_link_email.txt", "SIIMOP — votre lien de connexion"
    )


def send_account_approved(link_id: int) -> None:
    _send_link(
        link_id,
        "identity/account_approved_email.txt",
        "SIIMOP — votre compte est ouvert",
        login_url=absolute_url("identity:magic_link_ask"),
    )


def send_account_refused(request_id: int) -> None:
    account_request = AccountRequest.objects.filter(pk=request_id).first()
    if account_request is None:
        return
    send_mail(
        subject="SIIMOP — votre demande de compte",
        message=render_to_string(
            "identity/account_refused_email.txt", {"request": account_request}
        ),
        from_email=None,
        recipient_list=[account_request.email],
    )


def send_account_request_received(request_id: int) -> None:
    """The acknowledgement: sent to whoever typed the address, known or not."""
    account_request = AccountRequest.objects.filter(
        pk=request_id, status=AccountRequest.Status.PENDING
    ).first()
    if account_request is None:
        return
    send_mail(
        subject="SIIMOP — nous avons bien reçu votre demande de compte",
        message=render_to_string(
            "identity/account_request_received_email.txt",
            {"request": account_request, "role": Role(account_request.role).label},
        ),
        from_email=None,
        recipient_list=[account_request.email],
    )


def purge_consumed_assertions() -> int:
    """Expired assertions cannot be replayed anyway (pysaml2 refuses them)."""
    deleted, _ = ConsumedAssertion.objects.filter(
        expires_at__lt=timezone.now()
    ).delete()
    return deleted


def send_password_reset(subject: str, body: str, to_email: str) -> None:
    """Rendered in the request (the one-time token is in it), sent from here."""
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[to_email])
