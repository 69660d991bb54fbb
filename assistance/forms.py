from django import forms
from django.utils.translation import gettext_lazy as _
from helpdesk.models import Ticket

from domains.cockpit.forms import CockpitForm, CockpitModelForm, DateInput

from .models import Category, Period
from .services import period_save


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


class PeriodForm(CockpitModelForm):
    class Meta:
        model = Period
        fields = ["name", "start", "end"]
        widgets = {"start": DateInput, "end": DateInput}
        help_texts = {
            "name": _("Ex. « Campagne d'agréments 2026 — Auvergne-Rhône-Alpes »")
        }

    def save_with(self, user):
        return period_save(
            by=user,
            period=self.instance if self.instance.pk else None,
            **{f: self.cleaned_data[f] for f in self.Meta.fields},
        )


# What the ticket's decisions ask (the agents' page and the person's own page).


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Réponse"),
        widget=forms.Textarea,
        error_messages={"required": _("Écrivez la réponse avant de l'envoyer.")},
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Votre message"),
        widget=forms.Textarea,
        error_messages={"required": _("Écrivez votre message avant de l'envoyer.")},
    )
    attachment = RequestForm.base_fields["attachment"]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Motif"), required=False, max_length=1000)


class PriorityForm(forms.Form):
    priority = forms.TypedChoiceField(
        label=_("Priorité"), choices=Ticket.PRIORITY_CHOICES, coerce=int
    )
