"""Absolute links, for whatever leaves the site (e-mails, calendar files, badges).

Always built from `settings.SIIMOP_BASE_URL`: never from the request's Host header
(anyone can send a forged one), nor from the Sites framework or a Wagtail site's
hostname (configuration that drifts, e.g. the `example.com` default)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sites.management import create_default_site
from django.contrib.sites.models import Site
from django.db import router
from django.urls import reverse


def absolute_url(target, *args, **kwargs) -> str:
    """`target`: a path ("/…"), a URL name (reversed with `args` or `kwargs`) or a
    Wagtail page (its path within its site)."""
    if hasattr(target, "get_url_parts"):
        # Not `page.url`: with several Wagtail sites it carries the site's hostname.
        parts = target.get_url_parts()
        if parts is None:
            raise ValueError(f"La page « {target} » n'a pas d'adresse publique.")
        path = parts[2]
    elif target.startswith("/"):
        path = target
    else:
        path = reverse(target, args=args or None, kwargs=kwargs or None)
    return settings.SIIMOP_BASE_URL.rstrip("/") + path


def site_domain_follow(app_config, using: str = "default", **kwargs) -> None:
    """After each migrate: the Sites framework's current site takes the host of
    `SIIMOP_BASE_URL`, so that code building links from it (django-helpdesk's
    `ticket_url`/`staff_url`, its notifications) does not say `example.com`."""
    if not router.allow_migrate_model(using, Site):
        return
    host = urlsplit(settings.SIIMOP_BASE_URL).netloc
    if not host:
        return
    # Django's own default site first (it also moves PostgreSQL's sequence past it).
    kwargs["verbosity"] = 0
    create_default_site(app_config, using=using, **kwargs)
    # Through save(): it clears the Sites cache.
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": host, "name": "SIIMOP"}
    )
