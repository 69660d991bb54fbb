"""The footer's mandatory links (DSFR: plan du site, accessibilité, mentions légales,
données personnelles, gestion des cookies) lead to Wagtail pages that UNESS admins edit.

Each page is found by its slug among the children of the site's home, so no id is
written anywhere: a page that is missing, unpublished or private gives no link rather
than a dead one. The links are kept in the cache (per site) until a page is
published, unpublished, moved, deleted or restricted (`forget_footer_links`, connected
in apps.py), and at most FOOTER_CACHE_SECONDS on another process: every cockpit page
draws the footer, it costs no query.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError
from wagtail.models import Page, Site

from .models import CampaignAnnouncementPage, NewsPage

# The footer's name for each link: the slug its page must keep under the home.
FOOTER_PAGES = {
    "sitemap": "plan-du-site",
    "accessibility": "accessibilite",
    "legal_notice": "mentions-legales",
    "personal_data": "donnees-personnelles",
    "cookies": "gestion-des-cookies",
}


def _usable(request):
    """The request, unless its host is refused (the 400 page is then being drawn)."""
    if request is None:
        return None
    try:
        request.get_host()
    except DisallowedHost:
        return None
    return request


# One Wagtail site serves the platform: one entry.
FOOTER_CACHE_KEY = "siimop_site:footer_links"
FOOTER_CACHE_SECONDS = 300


def forget_footer_links(**kwargs) -> None:
    """A page changed: the footer looks its pages up again."""
    cache.delete(FOOTER_CACHE_KEY)


def footer_links(request=None) -> dict[str, str]:
    """{footer name: address} of the footer pages that are live and public."""
    usable = _usable(request)
    links = cache.get(FOOTER_CACHE_KEY)
    if links is None:
        links = _footer_links(usable)
        if links is not None:
            cache.set(FOOTER_CACHE_KEY, links, FOOTER_CACHE_SECONDS)
    return links or {}


def _footer_links(usable) -> dict[str, str] | None:
    """None when the database failed (nothing is cached then)."""
    try:
        site = Site.find_for_request(usable) if usable is not None else None
        site = site or Site.objects.filter(is_default_site=True).first()
        if site is None:
            return {}
        pages = (
            Page.objects.child_of(site.root_page)
            .live()
            .public()
            .filter(slug__in=FOOTER_PAGES.values())
        )
        by_slug = {page.slug: page.get_url(request=usable) for page in pages}
    except DatabaseError:
        # The database may be what failed: the 500 page is drawn without these links.
        return None
    return {
        name: by_slug[slug] for name, slug in FOOTER_PAGES.items() if slug in by_slug
    }


def sitemap_sections(home: Page) -> list[tuple[Page, list[Page]]]:
    """The home's live public children and theirs, in the editors' order. News items
    are left to the news index, which lists them itself (there are many)."""
    news_types = ContentType.objects.get_for_models(
        NewsPage, CampaignAnnouncementPage
    ).values()
    pages = (
        Page.objects.descendant_of(home)
        .live()
        .public()
        .filter(depth__lte=home.depth + 2)
        .exclude(content_type__in=news_types)
        .order_by("path")
    )
    sections: list[tuple[Page, list[Page]]] = []
    for page in pages:
        if page.depth == home.depth + 1:
            sections.append((page, []))
        elif sections and page.path.startswith(sections[-1][0].path):
            sections[-1][1].append(page)
    return sections
