"""The base of every cockpit table: DSFR template, French texts, page size."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

PER_PAGE_CHOICES = (10, 25, 50, 100)
DEFAULT_PER_PAGE = 25


class CockpitTable(tables.Table):
    class Meta:
        template_name = "cockpit/table.html"
        empty_text = _("Aucun résultat pour ces critères.")
        attrs = {"class": "siimop-table"}

    def __init__(self, *args, caption: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.caption = caption


class SelectionColumn(tables.Column):
    """Row checkbox for bulk actions (drawn by cockpit/table.html, labelled per row)."""

    def __init__(self, **kwargs):
        super().__init__(
            accessor="pk", verbose_name="", orderable=False, empty_values=(), **kwargs
        )


class DateColumn(tables.DateColumn):
    def __init__(self, **kwargs):
        super().__init__(format="d/m/Y", **kwargs)
