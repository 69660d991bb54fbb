"""Throttling of sign-in attempts, read from the audit log itself.

Too many failed passwords (or link requests) for one login, or from one IP address,
within the window locks further attempts until the window passes or an administrator
unlocks (an "unlock" event in the log). Known and unknown logins are counted alike, so
a lock tells nothing about which addresses exist.
"""

from datetime import timedelta

from django.db.models import Max, Q
from django.utils import timezone

from .models import SignInEvent, SignInMethod

WINDOW = timedelta(minutes=15)
PER_LOGIN = 5
PER_IP = 20

FAILED_PASSWORD = Q(kind=SignInEvent.Kind.FAILURE, method=SignInMethod.PASSWORD)
TOTP_FAILURE = Q(kind=SignInEvent.Kind.FAILURE, method=SignInMethod.TOTP)
LINK_REQUEST = Q(kind__in=[SignInEvent.Kind.LINK_SENT, SignInEvent.Kind.NO_ACCOUNT])


def _count_since_unlock(what: Q, attempts: Q) -> int:
    since = timezone.now() - WINDOW
    unlocked = SignInEvent.objects.filter(what, kind=SignInEvent.Kind.UNLOCK).aggregate(
        at=Max("at")
    )["at"]
    if unlocked and unlocked > since:
        since = unlocked
    return SignInEvent.objects.filter(what, attempts, at__gte=since).count()


def is_locked(*, login: str, ip: str | None, attempts: Q = FAILED_PASSWORD) -> bool:
    login = (login or "").strip().lower()
    if login and _count_since_unlock(Q(login__iexact=login), attempts) >= PER_LOGIN:
        return True
    return bool(ip) and _count_since_unlock(Q(ip=ip), attempts) >= PER_IP
