"""The footer's mandatory links (plan du site, accessibilité, mentions légales, données
personnelles, gestion des cookies) lead to the Wagtail pages the demo builds and UNESS
admins edit; a link whose page is missing, unpublished or private is not shown."""

import re

import pytest
from wagtail.models import Page, PageViewRestriction

from siimop_site.demo import build_site
from siimop_site.legal_pages import legal_pages_build
from siimop_site.models import HomePage, StandardPage
from tests.conftest import login_verified, page_text

pytestmark = pytest.mark.django_db

FOOTER_LINK = re.compile(
    r'<a class="fr-footer__bottom-link" id="footer_(\w+)" href="([^"]*)">([^<]*)</a>'
)


def footer_links(response) -> dict[str, tuple[str, str]]:
    """{footer id: (address, label)} of the footer's bottom links."""
    text = page_text(response)
    footer = text[text.index('id="footer"') :]
    # No link of the footer's bottom list may point nowhere.
    assert 'href=""' not in footer
    return {name: (href, label) for name, href, label in FOOTER_LINK.findall(footer)}


KEY_CONTENT = {
    "sitemap": ["<h1>Plan du site</h1>", "Qu'est-ce que SIIMOP ?", "Actualités"],
    "accessibility_status": [
        "Déclaration d'accessibilité",
        "SIIMOP est non conforme",
        "RGAA",
        "Cette déclaration a été établie le ",
        "Retour d'information et contact",
        "Défenseur des droits",
        "Libre réponse 71120",
    ],
    "legal_notice": ["Éditeur", "Directeur de la publication", "Hébergement"],
    "personal_data": [
        "Responsable de traitement",
        "ministère chargé de la santé",
        "sous-traitant",
        "Finalités",
        "Base légale",
        "Durées de conservation",
        "Destinataires",
        "Délégué à la protection des données",
        "CNIL",
    ],
    "cookie_management": ["sessionid", "csrftoken", "strictement nécessaires"],
}


def test_the_demo_sites_footer_links_lead_to_its_pages(client_fr):
    build_site()
    for address in ("/", "/compte/connexion/"):  # a Wagtail page and a view of ours
        links = footer_links(client_fr.get(address))
        assert {name: label for name, (_href, label) in links.items()} == {
            "sitemap": "Plan du site",
            "accessibility_status": "Accessibilité : non conforme",
            "legal_notice": "Mentions légales",
            "personal_data": "Données personnelles",
            "cookie_management": "Gestion des cookies",
        }
    for name, (href, _label) in links.items():
        response = client_fr.get(href)
        assert response.status_code == 200, href
        text = page_text(response)
        for words in KEY_CONTENT[name]:
            assert words in text, (href, words)


def test_the_site_map_lists_the_sites_sections_not_each_news_item(client):
    build_site()
    text = page_text(client.get("/plan-du-site/"))
    assert '<a href="/siimop/">Qu\'est-ce que SIIMOP ?</a>' in text
    assert '<a href="/mentions-legales/">Mentions légales</a>' in text
    assert '<a href="/actualites/">Actualités</a>' in text
    assert "SIIMOP ouvre aux terrains de stage" not in text  # the news index lists it
    assert '<a href="/terrains-agrees/">' in text


def test_a_missing_unpublished_or_private_page_gives_no_footer_link(client):
    build_site()
    home = HomePage.objects.get()
    # The footer was drawn (and its links cached) before the editors' changes.
    assert len(footer_links(client.get("/"))) == 5
    Page.objects.child_of(home).get(slug="mentions-legales").delete()
    Page.objects.child_of(home).get(slug="donnees-personnelles").unpublish()
    PageViewRestriction.objects.create(
        page=Page.objects.child_of(home).get(slug="gestion-des-cookies"),
        restriction_type=PageViewRestriction.LOGIN,
    )
    links = footer_links(client.get("/"))
    assert set(links) == {"sitemap", "accessibility_status"}
    assert links["accessibility_status"][0] == "/accessibilite/"


def test_a_site_without_the_pages_has_no_footer_links(client):
    assert footer_links(client.get("/")) == {}


def test_building_the_pages_again_keeps_what_admins_wrote(client):
    home = HomePage.objects.get()
    assert legal_pages_build(home) == 5
    page = StandardPage.objects.get(slug="mentions-legales")
    page.title = "Mentions légales (version validée)"
    page.save_revision().publish()
    assert legal_pages_build(home) == 0
    assert StandardPage.objects.filter(slug="mentions-legales").count() == 1
    assert "version validée" in page_text(client.get("/mentions-legales/"))


def test_uness_admins_edit_the_footer_pages_in_the_wagtail_admin(client, uness_admin):
    legal_pages_build()
    page = StandardPage.objects.get(slug="accessibilite")
    login_verified(client, uness_admin)
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    assert "Déclaration d&#x27;accessibilité" in response.content.decode()
