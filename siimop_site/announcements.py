"""A campaign published in its domain is announced on the public site: the page
under the news, linked to the campaign record (its calendar and state stay live)."""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.rich_text import RichText

from .models import CampaignAnnouncementPage, NewsIndexPage
from .pages import publish


def accreditation_campaign_announce(sender, campaign, **kwargs):
    news = NewsIndexPage.objects.live().first()
    if news is None:  # a site without its news section yet
        return None
    content_type = ContentType.objects.get_for_model(campaign)
    existing = CampaignAnnouncementPage.objects.filter(
        campaign_type=content_type, campaign_id=campaign.pk
    ).first()
    if existing is not None:
        return existing
    closes = timezone.localtime(campaign.filing_closes)
    return publish(
        news,
        CampaignAnnouncementPage(
            title=str(campaign),
            slug=slugify(f"agrements-{campaign.year}-{campaign.region.name}")[:80],
            date=timezone.localdate(),
            # No state in the text: the page's badge says it, day after day (an intro
            # saying "ouverte" stood next to "Décisions publiées").
            intro=_(
                "Campagne d'agréments %(year)s de la région %(region)s : dépôt des "
                "dossiers du %(opens)s au %(closes)s. Son état du jour et son "
                "calendrier sont indiqués ci-dessous."
            )
            % {
                "year": campaign.year,
                "region": campaign.region.name,
                "opens": f"{campaign.filing_opens:%d/%m/%Y}",
                "closes": f"{closes:%d/%m/%Y à %H:%M}",
            },
            campaign_type=content_type,
            campaign_id=campaign.pk,
            audience=(
                "Les responsables de terrain de stage (RTS) de la région, pour les "
                "spécialités : "
                + ", ".join(s.label for s in campaign.specialties.all())
                + " ; les directions des affaires médicales des établissements."
            ),
            actions=(
                "<ul><li>RTS : compléter et déposer votre dossier dans SIIMOP (Cockpit "
                "&gt; Agréments &gt; Mes agréments) avant la clôture ; les agréments "
                "arrivant à échéance y sont déjà préparés pour renouvellement.</li>"
                "<li>Sans compte : demandez-le depuis la page de connexion, l'ARS vous "
                "rattachera à votre terrain.</li></ul>"
            ),
        ),
    )


def announcement_pages(record) -> list[tuple[str, str]]:
    """The live announcements of a campaign record, for the cockpit's screens."""
    if record is None or record.pk is None:
        return []
    pages = CampaignAnnouncementPage.objects.live().filter(
        campaign_type=ContentType.objects.get_for_model(record),
        campaign_id=record.pk,
    )
    return [(page.title, page.url) for page in pages.order_by("-date")]


def post_opening_announce(sender, opening, **kwargs):
    """The published decree opening a subdivision's posts, on the news."""
    from domains.choices.documents import opening_posts

    news = NewsIndexPage.objects.live().first()
    if news is None:
        return None
    content_type = ContentType.objects.get_for_model(opening)
    existing = CampaignAnnouncementPage.objects.filter(
        campaign_type=content_type, campaign_id=opening.pk
    ).first()
    if existing is not None:
        return existing
    seats: dict[str, int] = {}
    for post in opening_posts(opening):
        key = f"{post.specialty.label} — {post.phase.label.lower()}"
        seats[key] = seats.get(key, 0) + post.seats
    return publish(
        news,
        CampaignAnnouncementPage(
            title=_("Postes ouverts au choix — %(subdivision)s, %(semester)s")
            % {"subdivision": opening.subdivision, "semester": opening.semester},
            slug=slugify(
                f"postes-{opening.subdivision.code}-{opening.semester.pk}-{opening.pk}"
            )[:80],
            date=timezone.localdate(),
            intro=_(
                "L'arrêté n° %(number)s du directeur général de l'ARS fixe les postes "
                "ouverts au choix des internes de la subdivision %(subdivision)s pour "
                "le semestre %(semester)s."
            )
            % {
                "number": opening.decree_reference,
                "subdivision": opening.subdivision,
                "semester": opening.semester,
            },
            campaign_type=content_type,
            campaign_id=opening.pk,
            audience=_(
                "Les internes de la subdivision qui choisissent leur stage ce semestre, "
                "leurs coordonnateurs et la scolarité."
            ),
            actions="<p>"
            + escape(
                _(
                    "Internes : retrouvez le détail des postes et votre rang d'appel "
                    "dans SIIMOP (Mon semestre prochain)."
                )
            )
            + "</p>",
            # The seats under their own heading, not under "what to do".
            body=[
                (
                    "paragraph",
                    RichText(
                        "<h2>"
                        + escape(_("Places ouvertes par DES et phase"))
                        + "</h2><ul>"
                        + "".join(
                            f"<li>{escape(group)} : {n} place{'s' if n > 1 else ''}</li>"
                            for group, n in seats.items()
                        )
                        + "</ul>"
                    ),
                )
            ],
        ),
    )
