from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from domains.people.selectors import active_functions


@login_required
def home(request):
    """ACCUEIL: who I am and the functions I hold today."""
    person = getattr(request.user, "person", None)
    functions = active_functions(request.user) if person else []
    return render(
        request,
        "cockpit/home.html",
        {"person": person, "functions": functions, "today": timezone.localdate()},
    )
