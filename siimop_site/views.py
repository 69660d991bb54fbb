from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_http_methods
from wagtail.models import Page

from .mailings import read_token, unsubscribe


def search(request):
    """Full-text search of the live public pages (Wagtail's database backend)."""
    query = request.GET.get("q", "").strip()[:200]
    results = Page.objects.live().public().specific().search(query) if query else []
    return render(
        request,
        "siimop_site/search.html",
        {
            "search_query": query,
            "pager_query": urlencode({"q": query}) + "&",
            "results": Paginator(results, 10).get_page(request.GET.get("page")),
        },
    )


@require_http_methods(["GET", "POST"])
def unsubscribe_view(request, token: str):
    """From the link of a mailing: confirm, then the address leaves the list."""
    try:
        email, mailing_list = read_token(token)
    except ValidationError as error:
        return render(
            request,
            "siimop_site/unsubscribe.html",
            {"error": error.messages[0]},
            status=400,
        )
    done = False
    if request.method == "POST":
        unsubscribe(token)
        done = True
    return render(
        request,
        "siimop_site/unsubscribe.html",
        {"email": email, "mailing_list": mailing_list, "done": done},
    )
