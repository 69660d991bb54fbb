from django import forms
from django.utils.translation import gettext_lazy as _

from domains.cockpit.forms import CockpitForm, CockpitModelForm

from .models import ActivityKind, ActivityLine
from .services import activity_change


class ActivityLineForm(CockpitModelForm):
    """The faculty registry corrects a line: the situation and its reason."""

    class Meta:
        model = ActivityLine
        fields = ["kind", "reason"]
        help_texts = {"reason": _("Obligatoire : pourquoi cette situation.")}

    def save_with(self, user):
        return activity_change(
            by=user,
            line=self.instance,
            kind=self.cleaned_data["kind"],
            reason=self.cleaned_data["reason"],
        )


class DeclarationForm(CockpitForm):
    """The resident's own declaration for next semester."""

    kind = forms.ChoiceField(label=_("Ma situation au semestre"), choices=ActivityKind)
    reason = forms.CharField(
        label=_("Précisions"),
        max_length=255,
        help_text=_("Obligatoire : par exemple « disponibilité accordée le … »."),
    )


class AdjustmentForm(CockpitForm):
    """The ARS places a resident by hand on a draft list, with its reason."""

    resident = forms.TypedChoiceField(label=_("Interne"), coerce=int)
    position = forms.IntegerField(label=_("Rang d'appel"), min_value=1)
    reason = forms.CharField(label=_("Raison"), max_length=255)

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].choices = [
            (e.resident_id, f"{e.position}. {e.resident.person.full_name}")
            for e in entries
        ]
