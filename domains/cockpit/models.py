from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedFilter(models.Model):
    """A named set of list filters, private or shared with the owner's team.

    The team is everyone holding the same role on the same perimeter as the function
    the owner was working under when she saved it.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_filters",
        verbose_name=_("propriétaire"),
    )
    screen = models.CharField(_("écran"), max_length=60)
    name = models.CharField(_("nom"), max_length=100)
    query = models.TextField(_("critères"))
    shared = models.BooleanField(_("partagé avec mon équipe"), default=False)
    team_role = models.CharField(_("rôle de l'équipe"), max_length=32, blank=True)
    team_key = models.CharField(_("périmètre de l'équipe"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("filtre enregistré")
        verbose_name_plural = _("filtres enregistrés")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "screen", "name"],
                name="cockpit_saved_filter_unique_name",
                violation_error_message=_(
                    "Vous avez déjà un filtre de ce nom sur cet écran."
                ),
            )
        ]
        indexes = [models.Index(fields=["screen", "team_role", "team_key"])]

    def __str__(self) -> str:
        return self.name


class ListPreference(models.Model):
    """The columns and page size a person chose for a list, remembered."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="list_preferences",
    )
    screen = models.CharField(max_length=60)
    hidden_columns = models.JSONField(default=list)
    per_page = models.PositiveSmallIntegerField(default=25)

    class Meta:
        verbose_name = _("préférence d'affichage")
        verbose_name_plural = _("préférences d'affichage")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "screen"], name="cockpit_preference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.screen}"


class MailingStatus(models.TextChoices):
    QUEUED = "queued", _("En attente")
    SENDING = "sending", _("Envoi en cours")
    DONE = "done", _("Envoyé")


class MailingProgress(models.Model):
    """What every bulk e-mail shows while django-q2 sends it (site announcements,
    accreditation campaigns): its state, its counts, its progress."""

    Status = MailingStatus

    status = models.CharField(
        _("état"), max_length=10, choices=MailingStatus.choices, default="queued"
    )
    total = models.PositiveIntegerField(_("destinataires"), default=0)
    sent = models.PositiveIntegerField(_("envoyés"), default=0)
    failed = models.PositiveIntegerField(_("échecs"), default=0)
    # Sent, then refused by the recipient's server (reported by the ESP's webhook).
    bounced = models.PositiveIntegerField(_("revenus en erreur"), default=0)
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def progress(self) -> int:
        return round(100 * (self.sent + self.failed) / self.total) if self.total else 0


class DeliveryRecord(models.Model):
    """One recipient of a mailing: sent when, or why not, and whether the recipient's
    server refused it afterwards (the ESP's tracking webhook, by message id)."""

    email = models.EmailField(_("adresse e-mail"))
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    error = models.CharField(_("erreur"), max_length=500, blank=True)
    message_id = models.CharField(
        _("identifiant du message"), max_length=200, blank=True, db_index=True
    )
    bounced_at = models.DateTimeField(_("revenu en erreur le"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.email


class EmailLog(models.Model):
    """Every single e-mail the platform sends (a decision, a link, a reminder): to whom,
    which message, when, or why it failed. No body: it may carry a sign-in link."""

    email = models.EmailField(_("adresse e-mail"))
    template = models.CharField(_("message"), max_length=120)
    subject = models.CharField(_("objet"), max_length=250)
    created_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)
    sent = models.BooleanField(_("envoyé"), default=False)
    error = models.CharField(_("erreur"), max_length=500, blank=True)
    message_id = models.CharField(
        _("identifiant du message"), max_length=200, blank=True, db_index=True
    )

    class Meta:
        verbose_name = _("e-mail envoyé")
        verbose_name_plural = _("e-mails envoyés")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["email", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {self.email}"
