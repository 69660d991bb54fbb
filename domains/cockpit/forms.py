"""Base forms of the cockpit: DSFR rendering, the request at hand, saving via services."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from dsfr.forms import DsfrBaseForm


class DateInput(forms.DateInput):
    """The browser's date picker; shown dd/mm/yyyy in a French browser."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """The browser's date and time picker (a deadline, a commission's sitting)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


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


class FastSelect(forms.Select):
    """A select drawn in Python rather than one template per option.

    Filter lists offer up to a hundred specialties: rendering each option through the
    widget templates cost more than the page's queries.
    """

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    "" if key is None else str(key),
                    mark_safe(" selected")
                    if ("" if key is None else str(key)) in chosen
                    else "",
                    label,
                )
                for key, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)
