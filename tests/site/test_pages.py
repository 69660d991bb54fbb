"""Public pages: content blocks render, the home lists the latest announcements, and a
campaign announcement shows its campaign's calendar and live state from the data."""

import json
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType

from domains.matching.models import MatchingRound, RoundStatus
from siimop_site.models import (
    CampaignAnnouncementPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    StandardPage,
)
from siimop_site.pages import publish
from tests.conftest import login_verified
from tests.factories.matching import matching_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def home() -> HomePage:
    return HomePage.objects.get()


@pytest.fixture
def news(home) -> NewsIndexPage:
    return publish(home, NewsIndexPage(title="Actualités", slug="actualites"))


def test_content_page_renders_its_blocks(client, home):
    body = json.dumps(
        [
            {
                "type": "paragraph",
                "value": "<h2>Le calendrier</h2><p>Trois étapes.</p>",
            },
            {
                "type": "callout",
                "value": {"title": "Important", "text": "<p>Avant le 1er mars.</p>"},
            },
            {
                "type": "faq",
                "value": {
                    "title": "Questions fréquentes",
                    "questions": [
                        {"question": "Qui dépose ?", "answer": "<p>Le RTS.</p>"}
                    ],
                },
            },
        ]
    )
    page = publish(
        home, StandardPage(title="Guide des agréments", slug="guide", body=body)
    )
    html = client.get(page.url).content.decode()
    assert "<h2>Le calendrier</h2>" in html
    assert 'class="fr-callout"' in html and "Avant le 1er mars." in html
    assert "Qui dépose ?" in html and 'aria-controls="faq-qui-depose-1"' in html


def test_home_lists_the_latest_announcements_newest_first(client, news):
    for day, title in (
        (1, "Ancienne"),
        (2, "Moyenne"),
        (3, "Récente"),
        (4, "Dernière"),
    ):
        publish(news, NewsPage(title=title, slug=f"n{day}", date=date(2026, 10, day)))
    draft = NewsPage(
        title="Brouillon", slug="brouillon", date=date(2026, 10, 5), live=False
    )
    news.add_child(instance=draft)
    html = client.get("/").content.decode()
    assert html.index("Dernière") < html.index("Récente") < html.index("Moyenne")
    assert "Ancienne" not in html and "Brouillon" not in html
    assert "Toutes les actualités" in html
    assert "Ancienne" in client.get(news.url).content.decode()


def test_an_announcement_shows_its_rounds_calendar_and_live_state(client, news):
    world = matching_world(residents=1, sites=1)
    world.move_calendar("wishes")
    page = publish(
        news,
        CampaignAnnouncementPage(
            title="Appariement DJ : ouverture des vœux",
            slug="appariement",
            campaign_type=ContentType.objects.get_for_model(MatchingRound),
            campaign_id=world.round.pk,
            audience="Internes en fin de phase d'approfondissement.",
        ),
    )
    html = client.get(page.url).content.decode()
    assert "Vœux ouverts" in html and "fr-badge--success" in html
    assert world.round.wishes_close.astimezone().strftime("%d/%m/%Y") in html
    assert "Internes en fin de phase" in html
    MatchingRound.objects.filter(pk=world.round.pk).update(status=RoundStatus.PUBLISHED)
    assert "Résultats publiés" in client.get(page.url).content.decode()
    # The cockpit links to it: the resident's matching page, the ARS's campaign page.
    link = f'href="{page.url}"'
    client.force_login(world.residents[0].person.user)
    assert link in client.get("/cockpit/mon-appariement/").content.decode()
    client.force_login(world.ars)
    assert link in client.get(world.campaign.get_absolute_url()).content.decode()
    client.logout()
    # A deleted campaign leaves the page standing, without a calendar.
    page.campaign_id = 0
    page.save()
    assert client.get(page.url).status_code == 200


def test_editors_pick_the_campaign_in_the_wagtail_admin(client, news, uness_admin):
    world = matching_world(residents=1, sites=1)
    login_verified(client, uness_admin)
    url = f"/admin/pages/add/siimop_site/campaignannouncementpage/{news.pk}/"
    html = client.get(url).content.decode()
    content_type = ContentType.objects.get_for_model(MatchingRound)
    assert f'value="{content_type.pk}:{world.round.pk}"' in html
    assert "Appariement Docteurs Juniors" in html


def test_search_finds_live_pages_by_their_words(client, home):
    publish(
        home,
        StandardPage(
            title="Guide des agréments",
            slug="guide",
            intro="Déposer le dossier de renouvellement.",
        ),
    )
    draft = StandardPage(title="Agréments brouillon", slug="brouillon", live=False)
    home.add_child(instance=draft)
    html = client.get("/recherche/", {"q": "agréments"}).content.decode()
    assert "1 résultat pour « agréments »" in html
    assert "Guide des agréments" in html and "brouillon" not in html
    nothing = client.get("/recherche/", {"q": "zzzz"}).content.decode()
    assert "0 résultat pour « zzzz »" in nothing  # French: 0 takes the singular


def test_long_lists_are_paged_keeping_the_search(client, news):
    for n in range(11):
        publish(
            news, NewsPage(title=f"Agréments n°{n}", slug=f"a{n}", intro="agréments")
        )
    assert 'href="?page=2"' in client.get(news.url).content.decode()
    html = client.get("/recherche/", {"q": "agréments"}).content.decode()
    assert "?q=agr%C3%A9ments&amp;page=2" in html
