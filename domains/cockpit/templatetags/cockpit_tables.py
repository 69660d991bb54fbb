"""What cockpit/table.html asks of a table beyond django-tables2."""

from django import template

register = template.Library()


@register.simple_tag
def selection_label(table, record) -> str:
    """`{% selection_label table row.record as label %}`: the record a row's selection
    box ticks, as the table names it (a stage names its resident)."""
    name = getattr(table, "selection_label", None)
    return name(record) if name is not None else str(record)
