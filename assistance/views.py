"""UNESS Assistance for the person asking: the request form (reachable from every
page, signed in or not) and "Mes demandes"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from domains.cockpit.views import save_form
from domains.people.roles import Role
from domains.people.selectors import active_functions

from .forms import RequestForm
from .models import TicketContext
from .services import request_file

ANONYMOUS_PER_HOUR = 5


def _context_of(request) -> dict:
    """The person, her subdivision and active function, as far as SIIMOP knows."""
    user = request.user
    if not user.is_authenticated:
        return {"person": None, "subdivision": None, "function": ""}
    person = getattr(user, "person", None)
    functions = active_functions(user)
    subdivision = next((f.subdivision for f in functions if f.subdivision_id), None)
    if subdivision is None and any(f.role == Role.RESIDENT for f in functions):
        resident = getattr(person, "resident", None)
        subdivision = resident.subdivision if resident else None
    label = request.actor.function.label if request.actor.function else ""
    return {"person": person, "subdivision": subdivision, "function": label}


def _throttled(request) -> bool:
    """Signed-out visitors: a few requests per hour and address."""
    if request.user.is_authenticated:
        return False
    key = f"assistance:anonymous:{request.META.get('REMOTE_ADDR', '')}"
    count = cache.get(key, 0)
    if count >= ANONYMOUS_PER_HOUR:
        return True
    cache.set(key, count + 1, 3600)
    return False


@require_http_methods(["GET", "POST"])
def request_new(request):
    origin = request.GET.get("depuis") or request.POST.get("page") or ""
    if not url_has_allowed_host_and_scheme(origin, allowed_hosts=None):
        origin = ""
    context = _context_of(request)
    person = context["person"]
    initial = {"page": origin, "email": person.primary_email if person else ""}
    form = RequestForm(request.POST or None, initial=initial, request=request)
    if request.method == "POST" and form.is_valid():
        if _throttled(request):
            form.add_error(
                None,
                _("Trop de demandes depuis cette adresse : réessayez dans une heure."),
            )
        else:
            data = form.cleaned_data
            ticket = save_form(
                form,
                lambda: request_file(
                    title=data["title"],
                    description=data["description"],
                    category=data["category"],
                    email=data["email"],
                    subdivision=context["subdivision"],
                    person=person,
                    application="Cockpit" if origin.startswith("/cockpit/") else "Site",
                    page=data["page"],
                    function=context["function"],
                ),
            )
            if ticket is not None:
                messages.success(
                    request,
                    _(
                        "Demande n° %(n)s enregistrée : un accusé de réception vous est "
                        "envoyé par e-mail."
                    )
                    % {"n": ticket.pk},
                )
                if request.user.is_authenticated:
                    return redirect("assistance:mine")
                return redirect(origin or "/")
    return render(
        request,
        "assistance/request.html",
        {"form": form, "origin": origin, "function": context["function"]},
    )


@login_required
def my_requests(request):
    contexts = (
        TicketContext.objects.filter(person__user=request.user)
        .select_related("ticket__queue")
        .order_by("-ticket__created")
    )
    return render(request, "assistance/mine.html", {"contexts": contexts})
