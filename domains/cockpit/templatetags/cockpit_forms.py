"""The error summary of a refused form (RGAA: each error listed, linked to its field)."""

from dataclasses import dataclass

from django import template

register = template.Library()


@dataclass(frozen=True)
class FormError:
    message: str
    label: str = ""
    anchor: str = ""  # the id of the field's first focusable element, "" if none


@register.simple_tag
def form_errors(form) -> list[FormError]:
    """`{% form_errors form as errors %}`: the form's errors in the order of its
    fields, the errors of no field (or of a hidden one) first."""
    if form is None or not hasattr(form, "errors") or not form.errors:
        return []
    items = [FormError(message=str(m)) for m in form.non_field_errors()]
    for field in form:
        if not field.errors:
            continue
        if field.is_hidden:
            items += [FormError(message=str(m)) for m in field.errors]
            continue
        items += [
            FormError(message=str(m), label=str(field.label), anchor=_anchor(field))
            for m in field.errors
        ]
    return items


def _anchor(field) -> str:
    # Radio buttons and checkbox lists label no single input (id_for_label is ""):
    # the link goes to the first choice, whose id Django suffixes with _0.
    return field.id_for_label or (f"{field.auto_id}_0" if field.auto_id else "")
