from django import forms
from django.utils.translation import gettext_lazy as _

from domains.cockpit.forms import CockpitForm

from .models import Category


class RequestForm(CockpitForm):
    category = forms.ChoiceField(label=_("Catégorie"), choices=Category.choices)
    title = forms.CharField(label=_("Objet"), max_length=200)
    description = forms.CharField(label=_("Votre demande"), widget=forms.Textarea)
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_("Pour l'accusé de réception et les réponses."),
    )
    attachment = forms.FileField(
        label=_("Capture d'écran ou fichier (facultatif)"),
        required=False,
        help_text=_("PDF, PNG, JPEG, TXT, CSV ou XLSX ; 5 Mo au plus."),
    )
    page = forms.CharField(widget=forms.HiddenInput, required=False)
