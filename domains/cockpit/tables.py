"""The base of every cockpit table: DSFR template, French texts, page size."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

PER_PAGE_CHOICES = (10, 25, 50, 100)
DEFAULT_PER_PAGE = 25


class CockpitTable(tables.Table):
    # Columns a list shows only once the person asks for them (its column chooser):
    # what a wide list can spare, so that the rest fits a 1280 px screen.
    default_hidden: tuple[str, ...] = ()

    class Meta:
        template_name = "cockpit/table.html"
        empty_text = _("Aucun résultat pour ces critères.")
        attrs = {"class": "siimop-table"}

    def __init__(self, *args, caption: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.caption = caption
        # Cells wrap (even inside a long word) so that every column fits the screen;
        # a date stays whole. The columns are this table's own copies.
        for column in self.columns:
            if isinstance(column.column, (tables.DateColumn, tables.DateTimeColumn)):
                attrs = column.column.attrs
                attrs["td"] = {**attrs.get("td", {}), "class": "siimop-nowrap"}

    def selection_label(self, record) -> str:
        """The record a row's bulk-selection box ticks, read by screen readers: say
        whom or what it is about (override when `str(record)` does not)."""
        return str(record)


class SelectionColumn(tables.Column):
    """Row checkbox for bulk actions (drawn by cockpit/table.html, labelled per row)."""

    def __init__(self, **kwargs):
        super().__init__(
            accessor="pk", verbose_name="", orderable=False, empty_values=(), **kwargs
        )


class DateColumn(tables.DateColumn):
    def __init__(self, **kwargs):
        super().__init__(format="d/m/Y", **kwargs)


def _cache_tables2_signatures() -> None:
    """django-tables2 inspects the signature of a render function for every cell it
    draws; on a 25-row page that is hundreds of `inspect.signature` calls. The answer
    depends only on the function, so remember it (per function, bound or not)."""
    from functools import lru_cache

    from django_tables2 import utils

    original = utils.signature

    @lru_cache(maxsize=4096)
    def cached(function, bound: bool):
        return original(function.__get__(object()) if bound else function)

    def signature(fn):
        function = getattr(fn, "__func__", None)
        if function is not None:
            return cached(function, True)
        return cached(fn, False)

    if not getattr(utils.signature, "siimop_cached", False):
        signature.siimop_cached = True
        utils.signature = signature


_cache_tables2_signatures()
