"""What the residents' pages say of stored values, in French."""

from datetime import date

from django import template
from django.utils.translation import gettext as _

from ..models import JuryDecision

register = template.Library()


def _day(value) -> str:
    """A day stored as ISO text (a mass operation's parameters) as dd/mm/yyyy."""
    try:
        return date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)


@register.filter
def operation_parameters(operation) -> str:
    """A mass operation's parameters as a sentence: « Phase validée — jury du
    30/11/2026 », « le 30/11/2026 » (they are stored as codes and ISO dates)."""
    parameters = operation.parameters or {}
    said = []
    if parameters.get("decision"):
        decisions = dict(JuryDecision.choices)
        said.append(str(decisions.get(parameters["decision"], parameters["decision"])))
    if parameters.get("jury_date"):
        said.append(_("jury du %(day)s") % {"day": _day(parameters["jury_date"])})
    if parameters.get("date"):
        said.append(_("le %(day)s") % {"day": _day(parameters["date"])})
    return " — ".join(said) or "—"
