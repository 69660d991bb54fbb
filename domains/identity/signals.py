"""Every sign-in, failure and sign-out goes to the audit log."""

from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.dispatch import receiver

from domains.cockpit.confirmation import confirmed_now

from .models import SignInEvent, SignInMethod
from .second_factor import SESSION_FLAG, totp_enabled
from .services import sign_in_event_record
from .throttling import account_for_login


@receiver(user_logged_in, dispatch_uid="identity.signed_in")
def signed_in(sender, request, user, **kwargs):
    method = getattr(request, "sign_in_method", SignInMethod.PASSWORD)
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_FLAG] = totp_enabled(user)
        confirmed_now(request)  # a sign-in is a fresh confirmation
    sign_in_event_record(
        kind=SignInEvent.Kind.SUCCESS,
        method=method,
        request=request,
        user=user,
        login=user.email,
    )


@receiver(user_login_failed, dispatch_uid="identity.sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    # Counted against the person, whichever of her addresses was typed.
    login = credentials.get("username") or credentials.get("email") or ""
    sign_in_event_record(
        kind=SignInEvent.Kind.FAILURE,
        method=SignInMethod.PASSWORD,
        request=request,
        user=account_for_login(login),
        login=login,
        reason="identifiant ou mot de passe incorrect",
    )


@receiver(user_logged_out, dispatch_uid="identity.signed_out")
def signed_out(sender, request, user, **kwargs):
    if user is not None:
        sign_in_event_record(
            kind=SignInEvent.Kind.SIGN_OUT,
            method=getattr(request, "sign_in_method", SignInMethod.PASSWORD),
            request=request,
            user=user,
            login=user.email,
        )
