from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from .services import client_ip
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


class MagicLinkForm(DsfrBaseForm):
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
