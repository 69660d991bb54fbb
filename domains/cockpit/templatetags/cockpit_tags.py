from django import template

from ..registry import registry

register = template.Library()


@register.simple_tag
def public_pages(record) -> list[tuple[str, str]]:
    """`{% public_pages campaign as pages %}`: (title, url) of the public pages about
    the record, e.g. the site's announcement of a campaign."""
    return registry.public_pages(record)
