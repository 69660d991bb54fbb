"""UNESS Assistance on django-helpdesk: teams (one helpdesk queue each), the routing
of each (subdivision, category) to a level-1 team, and the SIIMOP context of a ticket."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from domains.cockpit.dates import check_order


class Category(models.TextChoices):
    ACCREDITATION = "agrements", _("Agréments")
    MATCHING = "appariements", _("Appariements")
    CHOICES = "amphis", _("Amphis de choix")
    ACCOUNT = "compte", _("Compte et connexion")
    PATH = "parcours", _("Parcours et documents")
    TRAINING = "formations", _("Formations")
    OTHER = "autre", _("Autre")


class Tier(models.IntegerChoices):
    LEVEL_1 = 1, _("Niveau 1 (subdivision)")
    LEVEL_2 = 2, _("Niveau 2 (UNESS)")


class Team(models.Model):
    """A support team and the django-helpdesk queue its tickets sit in."""

    name = models.CharField(_("nom"), max_length=200)
    tier = models.PositiveSmallIntegerField(_("niveau"), choices=Tier.choices)
    subdivision = models.ForeignKey(
        "referential.Subdivision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_teams",
        verbose_name=_("subdivision"),
    )
    queue = models.OneToOneField(
        "helpdesk.Queue",
        on_delete=models.PROTECT,
        related_name="team",
        verbose_name=_("file django-helpdesk"),
    )

    class Meta:
        verbose_name = _("équipe d'assistance")
        verbose_name_plural = _("équipes d'assistance")
        ordering = ["tier", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(tier=2, subdivision__isnull=True)
                | models.Q(tier=1, subdivision__isnull=False),
                name="assistance_team_tier_perimeter",
                violation_error_message=_(
                    "Une équipe de niveau 1 sert une subdivision ; le niveau 2 est "
                    "national."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Route(models.Model):
    """Requests of a subdivision in a category go to this level-1 team."""

    subdivision = models.ForeignKey(
        "referential.Subdivision",
        on_delete=models.CASCADE,
        related_name="support_routes",
        verbose_name=_("subdivision"),
    )
    category = models.CharField(_("catégorie"), max_length=20, choices=Category.choices)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="routes", verbose_name=_("équipe")
    )

    class Meta:
        verbose_name = _("aiguillage")
        verbose_name_plural = _("aiguillages")
        constraints = [
            models.UniqueConstraint(
                fields=["subdivision", "category"], name="assistance_route_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subdivision} · {self.get_category_display()} → {self.team}"


class TicketContext(models.Model):
    """What SIIMOP knows of a request: who, from where, under which function."""

    ticket = models.OneToOneField(
        "helpdesk.Ticket", on_delete=models.CASCADE, related_name="siimop"
    )
    category = models.CharField(_("catégorie"), max_length=20, choices=Category.choices)
    tier = models.PositiveSmallIntegerField(
        _("niveau"), choices=Tier.choices, default=Tier.LEVEL_1
    )
    subdivision = models.ForeignKey(
        "referential.Subdivision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subdivision"),
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_requests",
        verbose_name=_("personne"),
    )
    application = models.CharField(_("application"), max_length=100, blank=True)
    page = models.CharField(_("page d'origine"), max_length=500, blank=True)
    function = models.CharField(_("fonction active"), max_length=300, blank=True)
    # Targets and measures, set by the services when the events happen, so that lists
    # filter the late tickets and statistics read times without recomputing hours.
    first_response_due = models.DateTimeField(_("première réponse attendue"), null=True)
    resolution_due = models.DateTimeField(_("résolution attendue"), null=True)
    first_answer_at = models.DateTimeField(_("première réponse"), null=True)
    resolved_at = models.DateTimeField(_("résolue le"), null=True)
    first_response_hours = models.FloatField(
        _("délai de première réponse (heures ouvrées)"), null=True
    )
    resolution_hours = models.FloatField(
        _("délai de résolution (heures ouvrées)"), null=True
    )
    escalated = models.BooleanField(_("escaladée au niveau 2"), default=False)

    class Meta:
        verbose_name = _("contexte SIIMOP d'une demande")
        verbose_name_plural = _("contextes SIIMOP des demandes")

    def __str__(self) -> str:
        return f"{self.ticket} ({self.get_category_display()})"


class Period(models.Model):
    """A named period for the statistics: an accreditation campaign, a matching
    round… defined by UNESS admins."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"))

    class Meta:
        verbose_name = _("période de campagne")
        verbose_name_plural = _("périodes de campagne")
        ordering = ["-start", "name"]
        permissions = [("view_statistics", _("Voir les statistiques d'assistance"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="assistance_period_dates",
                violation_error_message=_("La fin précède le début."),
            )
        ]

    def clean(self):
        super().clean()
        check_order(self, ("start", "end"))

    def __str__(self) -> str:
        return self.name


class ArticleRead(models.Model):
    """A knowledge-base article opened from the request form (top articles)."""

    article = models.ForeignKey(
        "helpdesk.KBItem", on_delete=models.CASCADE, related_name="reads"
    )
    at = models.DateTimeField(_("lu le"), auto_now_add=True, db_index=True)
    subdivision = models.ForeignKey(
        "referential.Subdivision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lecture d'article")
        verbose_name_plural = _("lectures d'articles")

    def __str__(self) -> str:
        return f"{self.article_id} ({self.at:%d/%m/%Y})"
