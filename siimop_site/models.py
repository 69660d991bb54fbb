from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The public home page of SIIMOP."""

    intro = models.CharField(_("accroche"), max_length=255, blank=True)
    body = RichTextField(_("contenu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    max_count = 1
    subpage_types = ["siimop_site.StandardPage"]

    class Meta:
        verbose_name = _("page d'accueil")


class StandardPage(Page):
    intro = models.CharField(_("chapeau"), max_length=255, blank=True)
    body = RichTextField(_("contenu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["siimop_site.HomePage", "siimop_site.StandardPage"]

    class Meta:
        verbose_name = _("page de contenu")
