from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class SignInMethod(models.TextChoices):
    PASSWORD = "password", _("Mot de passe")
    MAGIC_LINK = "magic_link", _("Lien par e-mail")
    SAML = "saml", _("Identité universitaire")
    TOTP = "totp", _("Code à usage unique")


class SignInEvent(models.Model):
    """The audit log of sign-ins: successes, failures, links sent and refused."""

    class Kind(models.TextChoices):
        SUCCESS = "success", _("Connexion")
        FAILURE = "failure", _("Échec")
        LINK_SENT = "link_sent", _("Lien envoyé")
        NO_ACCOUNT = "no_account", _("Lien demandé pour une adresse inconnue")
        LINK_REFUSED = "link_refused", _("Lien refusé")
        SIGN_OUT = "sign_out", _("Déconnexion")
        UNLOCK = "unlock", _("Déblocage")
        TOTP_ENABLED = "totp_enabled", _("Double authentification activée")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sign_in_events",
        verbose_name=_("compte"),
    )
    login = models.CharField(_("identifiant saisi"), max_length=254, blank=True)
    method = models.CharField(_("méthode"), max_length=12, choices=SignInMethod.choices)
    kind = models.CharField(_("événement"), max_length=12, choices=Kind.choices)
    reason = models.CharField(_("motif"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    user_agent = models.CharField(_("navigateur"), max_length=300, blank=True)
    at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("événement de connexion")
        verbose_name_plural = _("journal des connexions")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["login", "kind", "at"]),
            models.Index(fields=["ip", "kind", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.login or self.user} ({self.at:%d/%m/%Y %H:%M})"


class MagicLink(models.Model):
    """A single-use sign-in link, bound to the address it was sent to.

    The token in the e-mail is this row's id signed with the secret key: nothing secret
    is stored, so a copy of the database signs nobody in.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="magic_links"
    )
    email = models.EmailField(_("adresse"))
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lien de connexion")
        verbose_name_plural = _("liens de connexion")

    def __str__(self) -> str:
        return f"{self.email} ({self.created_at:%d/%m/%Y %H:%M})"


class AccountRequest(models.Model):
    """A "Demande de compte" from someone not yet in SIIMOP, typically a new RTS.

    States and their transitions (services.py): pending → approved | refused.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        APPROVED = "approved", _("Acceptée")
        REFUSED = "refused", _("Refusée")

    civility = models.CharField(
        _("civilité"), max_length=3, choices=[("M", _("M.")), ("MME", _("Mme"))]
    )
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse e-mail"))
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    role = models.CharField(_("fonction demandée"), max_length=32)
    region = models.ForeignKey(
        "referential.Region", on_delete=models.PROTECT, verbose_name=_("région")
    )
    training_site = models.ForeignKey(
        "referential.TrainingSite",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("terrain de stage"),
    )
    site_not_listed = models.TextField(
        _("terrain absent de la liste"),
        blank=True,
        help_text=_("Établissement, service, ville."),
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("état"),
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        db_index=True,
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("personne"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidée par"),
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    refusal_reason = models.TextField(_("motif du refus"), blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["ip"])

    class Meta:
        verbose_name = _("demande de compte")
        verbose_name_plural = _("demandes de compte")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(status="pending"),
                name="identity_one_pending_request_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name.upper()} — {self.email}"

    def get_absolute_url(self) -> str:
        return reverse("cockpit:demandes_de_compte_detail", args=[self.pk])
