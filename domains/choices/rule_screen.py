"""The opening rules' screen pieces (form, table, filters): the ARS keeps the rules of
its region, DGOS and UNESS read every region's. Kept apart from forms.py, tables.py and
filters.py, which other changes of this session were editing."""

from decimal import Decimal

import django_filters
import django_tables2 as tables
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from domains.cockpit.filters import CockpitFilterSet
from domains.cockpit.forms import CockpitModelForm
from domains.cockpit.tables import CockpitTable
from domains.referential.models import Region, Specialty, SpecialtyKind
from domains.referential.selectors import perimeter_regions

from .models import OpeningRule
from .services import opening_rule_check, opening_rule_save

RULE_FIELDS = ["region", "specialty", "ratio", "threshold", "extra", "comment"]


def _des():
    return Specialty.objects.filter(
        kind__in=[SpecialtyKind.DES, SpecialtyKind.CO_DES]
    ).order_by("label")


class OpeningRuleForm(CockpitModelForm):
    """A rule of the region: for a DES, or (no DES) for all its DES without one."""

    ratio = forms.DecimalField(
        label=_("Ratio"),
        max_digits=5,
        decimal_places=3,
        localize=True,
        initial=Decimal("1.07"),
        help_text=_(
            "Postes ouverts ≥ ratio × internes qui choisissent, arrondi au poste "
            "supérieur : 1,07 pour la règle des 107 %."
        ),
    )

    class Meta:
        model = OpeningRule
        fields = RULE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user if self.request else None
        regions = perimeter_regions(user) if user else Region.objects.none()
        self.fields["region"].queryset = regions
        if not self.instance.pk and len(regions) == 1:
            self.fields["region"].initial = regions[0].pk
        self.fields["specialty"].queryset = _des()
        self.fields["specialty"].empty_label = _("Tous les DES de la région")

    def clean(self):
        data = super().clean()
        if "ratio" in data and "threshold" in data and "extra" in data:
            try:
                opening_rule_check(
                    specialty=data.get("specialty"),
                    ratio=data["ratio"],
                    threshold=data["threshold"],
                    extra=data["extra"],
                )
            except ValidationError as error:
                for field, errors in error.error_dict.items():
                    self.add_error(field, errors)
        return data

    def save_with(self, user):
        return opening_rule_save(
            by=user,
            rule=self.instance if self.instance.pk else None,
            **{name: self.cleaned_data[name] for name in RULE_FIELDS},
        )


class OpeningRuleTable(CockpitTable):
    region = tables.Column(linkify=lambda record: record.get_absolute_url())
    specialty = tables.Column(default=_("Tous les DES de la région"))
    formula = tables.Column(verbose_name=_("Règle"), orderable=False)
    comment = tables.Column()

    class Meta(CockpitTable.Meta):
        model = OpeningRule
        fields = ("region", "specialty", "formula", "comment")


class OpeningRuleFilter(CockpitFilterSet):
    search_fields = ("region__name", "specialty__label", "comment")
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), label=_("Région"), empty_label=_("Toutes")
    )
    specialty = django_filters.ModelChoiceFilter(
        queryset=_des(), label=_("DES"), empty_label=_("Tous")
    )

    class Meta(CockpitFilterSet.Meta):
        model = OpeningRule
        fields = ["q", "region", "specialty"]
