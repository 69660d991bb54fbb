from django import template

from siimop_site.footer import footer_links as _footer_links

register = template.Library()


@register.simple_tag(takes_context=True)
def footer_links(context) -> dict[str, str]:
    """{% footer_links as links %}: the addresses of the footer pages that exist."""
    return _footer_links(context.get("request"))
