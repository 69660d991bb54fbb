"""Throttling of sign-in attempts, read from the audit log itself.

Too many failed passwords (or link requests, or codes) for one person, or from one
client address, within the window locks further attempts until the window passes or an
administrator unlocks (an "unlock" event in the log). Failures count per person, whatever
address of hers was typed; for an address that matches nobody, per address: the lock
comes after the same number of tries, so it tells nothing about which addresses exist.
"""

import functools
import ipaddress
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max, Q
from django.utils import timezone

from domains.people.selectors import user_for_email

from .models import SignInEvent, SignInMethod

WINDOW = timedelta(minutes=15)
PER_LOGIN = 5
PER_IP = 20

FAILED_PASSWORD = Q(kind=SignInEvent.Kind.FAILURE, method=SignInMethod.PASSWORD)
TOTP_FAILURE = Q(kind=SignInEvent.Kind.FAILURE, method=SignInMethod.TOTP)
LINK_REQUEST = Q(kind__in=[SignInEvent.Kind.LINK_SENT, SignInEvent.Kind.NO_ACCOUNT])
RESET_REQUEST = Q(kind=SignInEvent.Kind.RESET_ASKED)


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


@functools.cache
def _trusted_networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def client_ip(request) -> str | None:
    """The address of the person's browser, as throttling and the sign-in log see it.

    Behind the TLS proxy every request comes from the proxy: X-Forwarded-For is read,
    but only when the request comes from a trusted proxy (SIIMOP_TRUSTED_PROXIES), and
    then the right-most hop that is not a trusted proxy is the client (the hops to its
    left are whatever the client chose to send).
    """
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    networks = _trusted_networks(tuple(settings.SIIMOP_TRUSTED_PROXIES))
    if not networks or remote is None or not _trusted(remote, networks):
        return remote
    hops = [
        h.strip()
        for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if h.strip()
    ]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # a garbled header: the proxy is all we know
    return hops[0] if hops else remote


def account_for_login(login: str):
    """The account a typed login designates: any address of the person, or the account
    name (technical accounts); None for a login that matches nobody."""
    login = (login or "").strip()
    if not login:
        return None
    return (
        user_for_email(login)
        or get_user_model().objects.filter(username__iexact=login).first()
    )


def attempts_of(login: str) -> Q:
    """Whose attempts a login's lock counts: the person's, else the typed address's."""
    user = account_for_login(login)
    if user is not None:
        return Q(user=user)
    return Q(login__iexact=(login or "").strip().lower(), user__isnull=True)


def _count_since_unlock(what: Q, attempts: Q) -> int:
    since = timezone.now() - WINDOW
    unlocked = SignInEvent.objects.filter(what, kind=SignInEvent.Kind.UNLOCK).aggregate(
        at=Max("at")
    )["at"]
    if unlocked and unlocked > since:
        since = unlocked
    return SignInEvent.objects.filter(what, attempts, at__gte=since).count()


def is_locked(*, login: str, ip: str | None, attempts: Q = FAILED_PASSWORD) -> bool:
    if (login or "").strip() and (
        _count_since_unlock(attempts_of(login), attempts) >= PER_LOGIN
    ):
        return True
    return bool(ip) and _count_since_unlock(Q(ip=ip), attempts) >= PER_IP
