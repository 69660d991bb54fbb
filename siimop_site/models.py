"""SIIMOP's public pages: home, content pages, news and campaign announcements."""

from __future__ import annotations

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from domains.cockpit.models import DeliveryRecord, MailingProgress
from domains.people.roles import Role

from . import campaigns
from .blocks import BodyBlock


def latest_news(limit: int = 3) -> list[Page]:
    """The latest live news and announcements, newest first."""
    items = [
        *NewsPage.objects.live().public().order_by("-date")[:limit],
        *CampaignAnnouncementPage.objects.live().public().order_by("-date")[:limit],
    ]
    return sorted(items, key=lambda p: (p.date, p.pk), reverse=True)[:limit]


class HomePage(Page):
    """The public home page of SIIMOP."""

    intro = models.CharField(_("accroche"), max_length=255, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    max_count = 1
    subpage_types = [
        "siimop_site.StandardPage",
        "siimop_site.NewsIndexPage",
        "siimop_site.SitemapPage",
        "courses.CatalogueIndexPage",
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        verbose_name = _("page d'accueil")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["news"] = latest_news()
        context["news_index"] = NewsIndexPage.objects.live().first()
        context["catalogue"] = (
            Page.objects.live().filter(content_type__app_label="courses").first()
        )
        return context


class StandardPage(Page):
    intro = models.CharField(_("chapeau"), max_length=255, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["siimop_site.HomePage", "siimop_site.StandardPage"]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = _("page de contenu")


class NewsIndexPage(Page):
    intro = models.CharField(_("chapeau"), max_length=255, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["siimop_site.HomePage"]
    subpage_types = ["siimop_site.NewsPage", "siimop_site.CampaignAnnouncementPage"]
    max_count = 1

    class Meta:
        verbose_name = _("index des actualités")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        items = sorted(
            [
                *NewsPage.objects.child_of(self).live().public(),
                *CampaignAnnouncementPage.objects.child_of(self).live().public(),
            ],
            key=lambda p: (p.date, p.pk),
            reverse=True,
        )
        context["items"] = Paginator(items, 10).get_page(request.GET.get("page"))
        return context


class SitemapPage(Page):
    """Plan du site: the site's live public pages, listed from the page tree (nothing
    to keep up to date by hand), and the services outside it."""

    intro = models.CharField(_("chapeau"), max_length=255, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["siimop_site.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("plan du site")

    def get_context(self, request, *args, **kwargs):
        from .footer import sitemap_sections  # footer.py reads these models

        context = super().get_context(request, *args, **kwargs)
        context["sections"] = sitemap_sections(self.get_parent())
        return context


class NewsBase(Page):
    date = models.DateField(_("date"), default=timezone.localdate)
    intro = models.CharField(_("chapeau"), max_length=255, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    parent_page_types = ["siimop_site.NewsIndexPage"]
    subpage_types: list[str] = []
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    class Meta:
        abstract = True


class NewsPage(NewsBase):
    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = _("actualité")


class AnnouncementForm(WagtailAdminPageForm):
    """The campaign is picked in one list of every kind's records."""

    campaign = forms.ChoiceField(label=_("campagne annoncée"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = [("", "—"), *campaigns.choices()]
        page = self.instance
        if page.campaign_type_id and page.campaign_id:
            self.initial["campaign"] = f"{page.campaign_type_id}:{page.campaign_id}"

    def save(self, commit=True):
        page = super().save(commit=False)
        choice = self.cleaned_data.get("campaign") or ""
        type_id, _sep, record_id = choice.partition(":")
        page.campaign_type_id = int(type_id) if type_id else None
        page.campaign_id = int(record_id) if record_id else None
        if commit:
            page.save()
        return page


class CampaignAnnouncementPage(NewsBase):
    """A campaign's announcement: its calendar and live state come from the record."""

    campaign_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("type de campagne"),
    )
    campaign_id = models.PositiveIntegerField(_("campagne"), null=True, blank=True)
    audience = models.TextField(_("qui est concerné"), blank=True)
    actions = RichTextField(
        _("ce qu'il faut faire"),
        blank=True,
        features=["bold", "italic", "ol", "ul", "link"],
    )

    notify = models.BooleanField(
        _("prévenir les listes à la publication"),
        default=False,
        help_text=_(
            "Un seul envoi, à la première publication, avec lien de désabonnement."
        ),
    )
    mailing_lists = ParentalManyToManyField(
        "siimop_site.MailingList", blank=True, verbose_name=_("listes de diffusion")
    )

    base_form_class = AnnouncementForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("campaign", heading=_("Campagne annoncée")),
        FieldPanel("intro"),
        FieldPanel("audience"),
        FieldPanel("actions"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("notify"), FieldPanel("mailing_lists")],
            heading=_("Listes de diffusion"),
        ),
    ]

    class Meta:
        verbose_name = _("annonce de campagne")

    @property
    def campaign(self):
        if not (self.campaign_type_id and self.campaign_id):
            return None
        model = self.campaign_type.model_class()
        return model._default_manager.filter(pk=self.campaign_id).first()

    def campaign_facts(self) -> dict | None:
        """Calendar and live state of the linked record, read from the data."""
        record = self.campaign
        kind = campaigns.kind_of(type(record)) if record is not None else None
        if kind is None:
            return None
        return {
            "record": record,
            "kind": kind.label,
            "phases": kind.phases(record),
            "state": kind.state(record),
        }


# --- mailing lists (listes de diffusion) ------------------------------------------


class MailingListForm(WagtailAdminModelForm):
    roles = forms.MultipleChoiceField(
        label=_("fonctions"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Les détenteurs actifs de ces fonctions, dans le périmètre choisi."
        ),
    )


class MailingList(ClusterableModel):
    """An audience: the holders of some roles within a perimeter, plus subscribers."""

    base_form_class = MailingListForm

    name = models.CharField(_("nom"), max_length=200, unique=True)
    description = models.CharField(_("description"), max_length=500, blank=True)
    roles = models.JSONField(
        _("fonctions"),
        default=list,
        blank=True,
        help_text=_("Les détenteurs actifs de ces fonctions reçoivent les envois."),
    )
    region = models.ForeignKey(
        "referential.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("région"),
    )
    subdivision = models.ForeignKey(
        "referential.Subdivision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subdivision"),
    )
    specialty = models.ForeignKey(
        "referential.Specialty",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("spécialité"),
    )

    class Meta:
        verbose_name = _("liste de diffusion")
        verbose_name_plural = _("listes de diffusion")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Subscription(models.Model):
    """Someone who asked to receive a list's mailings."""

    mailing_list = ParentalKey(
        MailingList, on_delete=models.CASCADE, related_name="subscriptions"
    )
    email = models.EmailField(_("adresse e-mail"))
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [FieldPanel("email")]

    class Meta:
        verbose_name = _("abonné")
        constraints = [
            models.UniqueConstraint(
                fields=["mailing_list", "email"], name="site_subscription_unique"
            )
        ]

    def __str__(self) -> str:
        return self.email


class Unsubscription(models.Model):
    """An address that asked no longer to receive a list (honoured by every send)."""

    mailing_list = models.ForeignKey(
        MailingList, on_delete=models.CASCADE, related_name="unsubscriptions"
    )
    email = models.EmailField(_("adresse e-mail"))
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("désabonnement")
        constraints = [
            models.UniqueConstraint(
                fields=["mailing_list", "email"], name="site_unsubscription_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.mailing_list})"


class Mailing(MailingProgress):
    """The one notification of a published announcement, with its progress."""

    page = models.OneToOneField(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="mailing",
        verbose_name=_("page annoncée"),
    )
    lists = models.ManyToManyField(MailingList, verbose_name=_("listes"))

    class Meta:
        verbose_name = _("envoi")
        verbose_name_plural = _("envois aux listes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.page} ({self.get_status_display()})"


class Delivery(DeliveryRecord):
    """The delivery log: one row per recipient of a mailing."""

    mailing = models.ForeignKey(
        Mailing, on_delete=models.CASCADE, related_name="deliveries"
    )
    mailing_list = models.ForeignKey(
        MailingList, on_delete=models.CASCADE, related_name="+", verbose_name=_("liste")
    )

    class Meta:
        verbose_name = _("remise")
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "email"], name="site_delivery_unique"
            )
        ]
