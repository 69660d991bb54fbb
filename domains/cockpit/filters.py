"""The base of every cockpit filter set: DSFR form, free-text search over chosen fields."""

from functools import reduce
from operator import and_, or_

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from .forms import FastSelect


class DsfrFilterForm(DsfrBaseForm):
    pass


class CockpitFilterSet(django_filters.FilterSet):
    """Filters rendered with the DSFR; `q` searches every word in `search_fields`."""

    search_fields: tuple[str, ...] = ()

    q = django_filters.CharFilter(method="search", label=_("Rechercher"))

    class Meta:
        form = DsfrFilterForm

    @property
    def form(self):
        form = super().form
        if not getattr(form, "siimop_fast_selects", False):
            for field in form.fields.values():
                if type(field.widget) is forms.Select:
                    choices = field.widget.choices
                    field.widget = FastSelect(attrs=field.widget.attrs)
                    field.widget.choices = getattr(field, "choices", choices)
            form.siimop_fast_selects = True
        return form

    def search(self, queryset, name, value):
        words = value.split()
        if not words or not self.search_fields:
            return queryset
        return queryset.filter(
            reduce(
                and_,
                (
                    reduce(
                        or_,
                        (Q(**{f"{f}__icontains": word}) for f in self.search_fields),
                    )
                    for word in words
                ),
            )
        )


YES_NO = [("", _("Tous")), ("true", _("Oui")), ("false", _("Non"))]


def yes_no_filter(label, field_name: str | None = None, **kwargs):
    """A Yes / No / All select (django-filter's default says "Inconnu" for All)."""
    return django_filters.BooleanFilter(
        field_name=field_name,
        label=label,
        widget=forms.Select(choices=YES_NO),
        **kwargs,
    )
