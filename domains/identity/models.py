from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from domains.people.models import Civility


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
        LINKED = "linked", _("Moyen de connexion rattaché")
        UNLINKED = "unlinked", _("Moyen de connexion retiré")
        TO_RECONCILE = "reconcile", _("Plusieurs comptes correspondent")
        MERGED = "merged", _("Fusion de comptes")
        RESET_ASKED = "reset_asked", _("Réinitialisation du mot de passe demandée")
        REAUTH = "reauth", _("Identité confirmée (action sensible)")

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
        return f"{self.get_kind_display()} — {self.login or self.user} ({timezone.localtime(self.at):%d/%m/%Y %H:%M})"


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
        return f"{self.email} ({timezone.localtime(self.created_at):%d/%m/%Y %H:%M})"


class AccountRequest(models.Model):
    """A "Demande de compte" from someone not yet in SIIMOP, typically a new RTS.

    States and their transitions (services.py): pending → approved | refused.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        APPROVED = "approved", _("Acceptée")
        REFUSED = "refused", _("Refusée")

    civility = models.CharField(_("civilité"), max_length=3, choices=Civility.choices)
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


class IdentityProvider(models.Model):
    """A SAML identity provider (a university's Shibboleth), configured from its metadata.

    Its signing certificates come from the metadata: a response is accepted only when
    signed with one of them.
    """

    name = models.CharField(_("nom affiché"), max_length=200)
    entity_id = models.CharField(_("identifiant d'entité (entityID)"), max_length=255)
    metadata_xml = models.TextField(
        _("métadonnées SAML"),
        help_text=_("Le document XML des métadonnées de ce fournisseur d'identité."),
    )
    metadata_url = models.URLField(
        _("adresse des métadonnées"),
        blank=True,
        help_text=_("D'où les métadonnées ont été chargées, pour les recharger."),
    )
    is_active = models.BooleanField(_("actif"), default=True)
    allow_unsolicited = models.BooleanField(
        _("accepter les réponses non sollicitées"),
        default=False,
        help_text=_(
            "Connexion lancée depuis le fournisseur d'identité (IdP-initiated). "
            "À n'activer que si la fédération l'exige."
        ),
    )
    email_domains = models.TextField(
        _("domaines de messagerie dont il répond"),
        blank=True,
        help_text=_(
            "Un domaine par ligne (par exemple « univ-lyon1.fr ») : une première "
            "connexion n'est rattachée à une personne par son adresse e-mail que si "
            "l'adresse appartient à l'un de ces domaines (sous-domaines compris). Vide : "
            "jamais ; la personne se connecte autrement et relie son identité depuis "
            "MES INFORMATIONS > Connexions."
        ),
    )
    legacy_id_attribute = models.CharField(
        _("attribut portant un identifiant historique"),
        max_length=100,
        blank=True,
        help_text=_("Nom de l'attribut SAML, par exemple « sidesId »."),
    )
    legacy_id_system = models.CharField(
        _("système de cet identifiant"),
        max_length=10,
        blank=True,
        choices=[("imotep", "IMOTEP"), ("sides_ng", "SIDES NG")],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fournisseur d'identité SAML")
        verbose_name_plural = _("fournisseurs d'identité SAML")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity_id"], name="identity_idp_entity_id_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def vouches_for(self, email: str) -> bool:
        """Whether this provider is authoritative for the address's domain."""
        domain = email.rpartition("@")[2].strip().lower()
        return bool(domain) and any(
            domain == d or domain.endswith("." + d)
            for d in (
                line.strip().lower().lstrip("@").lstrip(".")
                for line in self.email_domains.splitlines()
            )
            if d
        )


class FederatedIdentity(models.Model):
    """An outside identity linked to a person: SAML today, OpenID Connect tomorrow.

    (issuer, subject) is what the provider vouches for: the eduPersonPrincipalName or
    the persistent NameID for SAML; an OIDC provider would give its `iss` and `sub`.
    """

    class Protocol(models.TextChoices):
        SAML = "saml", _("SAML (identité universitaire)")

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        related_name="federated_identities",
        verbose_name=_("personne"),
    )
    protocol = models.CharField(
        _("protocole"), max_length=10, choices=Protocol.choices, default=Protocol.SAML
    )
    issuer = models.CharField(_("fournisseur"), max_length=255)
    subject = models.CharField(_("identifiant fédéré"), max_length=255)
    label = models.CharField(_("libellé"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("rattachée le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernière connexion"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("identité fédérée")
        verbose_name_plural = _("identités fédérées")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="identity_federated_unique"
            )
        ]

    def __str__(self) -> str:
        return self.label or self.subject


class ConsumedAssertion(models.Model):
    """SAML assertions already used: a replayed one is refused until it expires."""

    assertion_id = models.CharField(max_length=255, unique=True)
    issuer = models.CharField(max_length=255)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.assertion_id


class ReconciliationCase(models.Model):
    """An SSO sign-in that matched several persons: nothing linked until a UNESS admin
    merges them or picks the right one ("à rapprocher")."""

    class Status(models.TextChoices):
        OPEN = "open", _("À rapprocher")
        MERGED = "merged", _("Personnes fusionnées")
        LINKED = "linked", _("Rattachée à une personne")
        DISMISSED = "dismissed", _("Classée sans suite")

    issuer = models.CharField(_("fournisseur"), max_length=255)
    subject = models.CharField(_("identifiant fédéré"), max_length=255)
    attributes = models.JSONField(_("attributs reçus"), default=dict)
    candidates = models.ManyToManyField(
        "people.Person", related_name="+", verbose_name=_("personnes correspondantes")
    )
    status = models.CharField(
        _("état"),
        max_length=10,
        choices=Status.choices,
        default=Status.OPEN,
        db_index=True,
    )
    attempts = models.PositiveIntegerField(_("tentatives"), default=1)
    created_at = models.DateTimeField(_("signalé le"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("dernière tentative"), auto_now=True)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reconciliations",
        verbose_name=_("personne retenue"),
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("traité par"),
    )
    resolved_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("connexion à rapprocher")
        verbose_name_plural = _("connexions à rapprocher")
        ordering = ["-last_seen_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"],
                condition=models.Q(status="open"),
                name="identity_one_open_case_per_identity",
            )
        ]

    def __str__(self) -> str:
        return self.attributes.get("name") or self.subject

    def get_absolute_url(self) -> str:
        return reverse("cockpit:rapprochements_detail", args=[self.pk])
