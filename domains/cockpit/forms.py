"""Base forms of the cockpit: DSFR rendering, the request at hand, saving via services."""

from django import forms
from dsfr.forms import DsfrBaseForm


class DateInput(forms.DateInput):
    """The browser's date picker; shown dd/mm/yyyy in a French browser."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class CockpitForm(DsfrBaseForm):
    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)


class CockpitModelForm(DsfrBaseForm, forms.ModelForm):
    """A model form for a screen. Subclasses define `save_with(user)`, which calls the
    domain's services (never `save()`) and returns the saved record."""

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)
