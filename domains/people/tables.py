import django_tables2 as tables
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from domains.cockpit.tables import CockpitTable

from .models import Person


class PersonTable(CockpitTable):
    last_name = tables.Column(linkify=True)
    first_name = tables.Column()
    primary_email = tables.Column(
        verbose_name=_("Adresse e-mail principale"),
        accessor="primary_address",
        order_by=("primary_address",),
    )
    phone = tables.Column()
    current_functions = tables.Column(
        verbose_name=_("Fonctions en cours"),
        accessor="current_functions",
        orderable=False,
        empty_values=(),
    )

    class Meta(CockpitTable.Meta):
        model = Person
        fields = (
            "last_name",
            "first_name",
            "primary_email",
            "phone",
            "current_functions",
        )

    def render_current_functions(self, record):
        functions = getattr(record, "current_functions", [])
        if not functions:
            return "—"
        return format_html_join(
            "",
            '<span class="fr-tag fr-tag--sm fr-mr-1v">{}</span>',
            ((str(f),) for f in functions),
        )

    def value_current_functions(self, record):
        return ", ".join(str(f) for f in getattr(record, "current_functions", []))
