from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from domains.cockpit import mailer
from domains.people.models import Civility
from domains.people.roles import Role
from domains.referential.models import Region, TrainingSite

from .services import REQUESTABLE_ROLES, client_ip
from .throttling import is_locked


class LoginForm(DsfrBaseForm, AuthenticationForm):
    username = forms.CharField(
        label=_("Adresse e-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "Adresse e-mail ou mot de passe incorrect. Vérifiez votre saisie ; "
            "le mot de passe distingue majuscules et minuscules."
        ),
        "inactive": _("Ce compte est désactivé. Contactez l'assistance UNESS."),
        "locked": _(
            "Trop de tentatives infructueuses : la connexion par mot de passe est "
            "suspendue 15 minutes. Vous pouvez recevoir un lien de connexion par e-mail, "
            "ou demander à l'assistance UNESS de vous débloquer."
        ),
    }

    def clean(self):
        login = self.data.get("username", "")
        if is_locked(login=login, ip=client_ip(self.request)):
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        return super().clean()


class PasswordResetAskForm(PasswordResetForm):
    """Django's reset form, its e-mail sent by the background worker: the answer takes
    the same time whether the address has an account or not. The worker makes the
    one-time link from the account: no token in the task's arguments."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        mailer.enqueue(
            "domains.identity.tasks.send_password_reset", context["user"].pk, to_email
        )


class ConfirmPasswordForm(DsfrBaseForm):
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "autofocus": True}
        ),
    )


class MagicLinkForm(DsfrBaseForm):
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class AccountRequestForm(DsfrBaseForm):
    """The public "Demande de compte"; the site list comes from the search above it."""

    civility = forms.ChoiceField(
        label=_("Civilité"),
        choices=[(c.value, c.label) for c in (Civility.MRS, Civility.MR)],
    )
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    email = forms.EmailField(label=_("Adresse e-mail professionnelle"))
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
    role = forms.ChoiceField(
        label=_("Fonction demandée"),
        choices=[(r, Role(r).label) for r in REQUESTABLE_ROLES],
    )
    region = forms.ModelChoiceField(
        label=_("Région de votre terrain de stage"), queryset=Region.objects.all()
    )
    training_site = forms.ModelChoiceField(
        label=_("Votre terrain de stage"),
        queryset=TrainingSite.objects.none(),
        required=False,
        widget=forms.RadioSelect,
    )
    site_not_listed = forms.CharField(
        label=_("Mon terrain n'est pas dans la liste : établissement, service, ville"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    message = forms.CharField(
        label=_("Message (facultatif)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, sites=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sites is not None:
            self.fields["training_site"].queryset = sites


class ApproveForm(DsfrBaseForm):
    training_site = forms.ModelChoiceField(
        label=_("Terrain de stage à rattacher"),
        queryset=TrainingSite.objects.none(),
        required=False,
    )

    def __init__(self, *args, sites=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sites is not None:
            self.fields["training_site"].queryset = sites


class RefuseForm(DsfrBaseForm):
    reason = forms.CharField(
        label=_("Motif du refus (envoyé au demandeur)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TotpForm(DsfrBaseForm):
    code = forms.CharField(
        label=_("Code à 6 chiffres affiché par votre application"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
            }
        ),
    )


class ReconciliationForm(DsfrBaseForm):
    """Merge the candidates into one, or link the identity to one of them only."""

    person = forms.ModelChoiceField(
        label=_("Personne à conserver"),
        queryset=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez la personne à conserver."),
            "invalid_choice": _(
                "Choisissez la personne à conserver parmi les personnes "
                "correspondantes."
            ),
        },
    )
    reason = forms.CharField(
        label=_("Motif (conservé dans l'historique)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = candidates
