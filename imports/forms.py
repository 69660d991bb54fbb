from django import forms
from django.utils.translation import gettext_lazy as _

from domains.cockpit.forms import CockpitForm
from domains.referential.models import Region

from .kinds import IMPORTERS
from .permissions import importable_kinds


class UploadForm(CockpitForm):
    kind = forms.ChoiceField(
        label=_("Type de fichier"),
        choices=[(kind, importer.label) for kind, importer in IMPORTERS.items()],
    )
    file = forms.FileField(
        label=_("Fichier XLSX ou CSV (50 Mo au plus)"),
        help_text=_(
            "Export IMOTEP ou tableur de l'ARS ; les colonnes sont décrites dans le guide."
        ),
    )
    region = forms.ModelChoiceField(
        label=_("Région"), queryset=Region.objects.order_by("name"), required=False
    )
    strict = forms.BooleanField(
        label=_("Tout ou rien : une seule ligne rejetée annule l'import"),
        help_text=_(
            "Toujours le cas pour l'activité semestrielle et l'ouverture des postes."
        ),
        required=False,
    )

    def __init__(self, *args, fixed_region=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_region = fixed_region
        if fixed_region is not None:
            del self.fields["region"]  # an ARS agent imports for her region
        if user is not None:  # only the kinds her role may import
            allowed = set(importable_kinds(user, IMPORTERS))
            self.fields["kind"].choices = [
                (kind, label)
                for kind, label in self.fields["kind"].choices
                if kind in allowed
            ]


class CandidateForm(CockpitForm):
    """Which of the proposed persons the file's row is."""

    person = forms.ModelChoiceField(
        label=_("Personne"),
        queryset=None,
        error_messages={
            "invalid_choice": _("Choisissez l'une des personnes proposées.")
        },
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = candidates
