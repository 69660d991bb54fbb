from django import template

from .. import wording
from ..registry import registry

register = template.Library()


@register.simple_tag
def public_pages(record) -> list[tuple[str, str]]:
    """`{% public_pages campaign as pages %}`: (title, url) of the public pages about
    the record, e.g. the site's announcement of a campaign."""
    return registry.public_pages(record)


@register.filter
def role_noun(label) -> str:
    """`{{ function.label|role_noun }}`: "Interne" → "interne" inside a sentence."""
    return wording.role_noun(label)


@register.filter
def elides(word) -> bool:
    """`{% if word|elides %}qu'…{% else %}que …{% endif %}`."""
    return wording.elides(word)


@register.filter
def is_singular(count) -> bool:
    """`{% if n|is_singular %}`: French takes the singular for 0 and 1."""
    return wording.is_singular(count)
