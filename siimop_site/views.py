from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.models import Page


def search(request):
    """Full-text search of the live public pages (Wagtail's database backend)."""
    query = request.GET.get("q", "").strip()[:200]
    results = Page.objects.live().public().specific().search(query) if query else []
    return render(
        request,
        "siimop_site/search.html",
        {
            "search_query": query,
            "results": Paginator(results, 10).get_page(request.GET.get("page")),
        },
    )
