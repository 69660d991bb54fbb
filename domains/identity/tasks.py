"""E-mails of sign-in and onboarding, sent by the django-q2 worker through the one
mailer. The tasks take ids and build the links here: no sign-in link nor reset token
is ever a task argument (nor in the delivery log, which keeps no body)."""

from django.contrib.auth.tokens import default_token_generator
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from domains.cockpit import mailer
from domains.cockpit.links import absolute_url
from domains.people.models import User
from domains.people.roles import Role

from .models import AccountRequest, ConsumedAssertion, MagicLink
from .services import MAGIC_LINK_VALIDITY, magic_link_token


def _send_link(link_id: int, template: str, **context) -> None:
    link = MagicLink.objects.select_related("user__person").filter(pk=link_id).first()
    if link is None or link.used_at is not None:
        return
    mailer.send(
        to=link.email,
        template=template,
        context=context
        | {
            "person": getattr(link.user, "person", None),
            "link": absolute_url("identity:magic_link", magic_link_token(link)),
            "minutes": int(MAGIC_LINK_VALIDITY.total_seconds() // 60),
        },
    )


def send_magic_link(link_id: int) -> None:
    _send_link(link_id, "identity/magic_link_email")


def send_account_approved(link_id: int) -> None:
    _send_link(
        link_id,
        "identity/account_approved_email",
        login_url=absolute_url("identity:magic_link_ask"),
    )


def send_account_refused(request_id: int) -> None:
    account_request = AccountRequest.objects.filter(pk=request_id).first()
    if account_request is None:
        return
    mailer.send(
        to=account_request.email,
        template="identity/account_refused_email",
        context={"request": account_request},
    )


def send_account_request_received(request_id: int) -> None:
    """The acknowledgement: sent to whoever typed the address, known or not."""
    account_request = AccountRequest.objects.filter(
        pk=request_id, status=AccountRequest.Status.PENDING
    ).first()
    if account_request is None:
        return
    mailer.send(
        to=account_request.email,
        template="identity/account_request_received_email",
        context={"request": account_request, "role": Role(account_request.role).label},
    )


def send_password_reset(user_id: int, email: str) -> None:
    """The one-time reset link, made here from the account (never passed in)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    link = absolute_url(
        "identity:password_reset_confirm",
        uidb64=urlsafe_base64_encode(force_bytes(user.pk)),
        token=default_token_generator.make_token(user),
    )
    mailer.send(
        to=email,
        template="identity/password_reset_email",
        context={"user": user, "link": link},
    )


def purge_consumed_assertions() -> int:
    """Expired assertions cannot be replayed anyway (pysaml2 refuses them)."""
    deleted, _ = ConsumedAssertion.objects.filter(
        expires_at__lt=timezone.now()
    ).delete()
    return deleted
