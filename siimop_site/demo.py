"""Demo public site: content pages with blocks, the news index, a news item and the
announcements of the demo matching rounds (their calendars come from the data)."""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import Page

from domains.matching.models import MatchingRound
from domains.people.roles import Role
from domains.referential.models import Region, Specialty

from .legal_pages import legal_pages_build
from .models import (
    CampaignAnnouncementPage,
    HomePage,
    MailingList,
    NewsIndexPage,
    NewsPage,
    StandardPage,
)
from .pages import publish, stream


def build_lists() -> list[MailingList]:
    ara = Region.objects.filter(code="84").first()
    return [
        MailingList.objects.create(
            name="RTS d'Auvergne-Rhône-Alpes",
            description="Responsables de terrain de stage de la région.",
            roles=[Role.SITE_SUPERVISOR],
            region=ara,
        ),
        MailingList.objects.create(
            name="Internes de cardiologie",
            roles=[Role.RESIDENT],
            specialty=Specialty.objects.filter(code="DES-MCA").first(),
        ),
        MailingList.objects.create(
            name="Directions des affaires médicales",
            roles=[Role.MEDICAL_AFFAIRS],
        ),
    ]


def build_site() -> dict[str, int]:
    home = HomePage.objects.first()
    if home is None:
        return {}
    lists = build_lists()
    publish(
        home,
        StandardPage(
            title="Qu'est-ce que SIIMOP ?",
            slug="siimop",
            intro="Un seul outil pour suivre les internes, de l'ECOS à la thèse.",
            body=stream(
                {
                    "type": "paragraph",
                    "value": "<p>SIIMOP remplace IMOTEP : ministères, ARS, facultés, "
                    "coordonnateurs, terrains de stage, établissements et internes "
                    "partagent les mêmes données.</p>",
                },
                {
                    "type": "callout",
                    "value": {
                        "title": "Besoin d'aide ?",
                        "text": "<p>Le lien « UNESS Assistance », en haut de chaque "
                        "page, vous met en relation avec l'équipe de votre "
                        "subdivision.</p>",
                    },
                },
            ),
        ),
    )
    publish(
        home,
        StandardPage(
            title="Guide des agréments",
            slug="guide-agrements",
            intro="Déposer, suivre et renouveler l'agrément d'un terrain de stage.",
            body=stream(
                {
                    "type": "faq",
                    "value": {
                        "title": "Questions fréquentes",
                        "questions": [
                            {
                                "question": "Qui dépose le dossier ?",
                                "answer": "<p>Le responsable du terrain de stage "
                                "(RTS).</p>",
                            },
                            {
                                "question": "Jusqu'à quand modifier mon dossier ?",
                                "answer": "<p>Jusqu'à la date limite de dépôt ; chaque "
                                "version déposée est conservée.</p>",
                            },
                        ],
                    },
                }
            ),
        ),
    )
    news = publish(home, NewsIndexPage(title="Actualités", slug="actualites"))
    today = timezone.localdate()
    publish(
        news,
        NewsPage(
            title="SIIMOP ouvre aux terrains de stage",
            slug="ouverture-terrains",
            date=today,
            intro="Les RTS demandent leur compte depuis la page de connexion.",
        ),
    )
    round_type = ContentType.objects.get_for_model(MatchingRound)
    announcements = 0
    for matching_round in MatchingRound.objects.select_related("campaign").order_by(
        "number"
    ):
        announcement = publish(
            news,
            CampaignAnnouncementPage(
                title=f"Appariement Docteurs Juniors : tour {matching_round.number}",
                slug=f"appariement-tour-{matching_round.number}",
                date=timezone.localdate(matching_round.wishes_open),
                intro=f"{matching_round.campaign} : le calendrier et l'état du tour.",
                campaign_type=round_type,
                campaign_id=matching_round.pk,
                audience="Les internes de la région en fin de phase "
                "d'approfondissement, et les terrains qui proposent un poste.",
                actions="<ul><li>Internes : déposer CV, lettre et contrat, puis "
                "saisir vos vœux.</li><li>Terrains : classer les candidats.</li></ul>",
            ),
        )
        # Linked to the lists, not notified: the demo sends no e-mail on its own.
        announcement.mailing_lists.set(lists[:2])
        announcement.save()  # a parental relation is written on save
        announcements += 1
    legal_pages_build(home)  # the footer's pages
    return {
        "pages du site public": Page.objects.live().count(),
        "annonces": announcements,
        "listes de diffusion": len(lists),
    }
