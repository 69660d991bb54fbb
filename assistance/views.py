"""UNESS Assistance: for the person asking, the request form (reachable from every
page, signed in or not) and "Mes demandes"; for the agents, the ticket page's
actions (answer, escalate, send back)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from helpdesk.models import FollowUp

from domains.cockpit.views import (
    decide,
    get_record,
    get_screen,
    save_form,
    screen_url,
)
from domains.people.roles import Role
from domains.people.selectors import active_functions

from .forms import RequestForm
from .models import TicketContext
from .selectors import canned_answers, visible_tickets
from .services import (
    answer_send,
    request_close,
    request_file,
    request_reply,
    ticket_deescalate,
    ticket_escalate,
)
from .targets import deadlines

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


@login_required
@require_http_methods(["GET", "POST"])
def my_request(request, pk: int):
    """One of her requests: the public exchanges, reply, close."""
    context = (
        TicketContext.objects.filter(person__user=request.user, ticket_id=pk)
        .select_related("ticket__queue")
        .first()
    )
    if context is None:
        raise Http404
    ticket = context.ticket
    form = AnswerForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("action") == "clore":
            form = forms.Form(data={})  # nothing to fill in; carries a refusal
            done = form.is_valid() and save_form(
                form, lambda: request_close(by=request.user, ticket=ticket)
            )
            success = _("Demande close. Merci.")
        else:
            done = form.is_valid() and save_form(
                form,
                lambda: request_reply(
                    by=request.user, ticket=ticket, text=form.cleaned_data["text"]
                ),
            )
            success = _("Message envoyé à l'assistance.")
        if done:
            messages.success(request, success)
            return redirect("assistance:request", pk=pk)
    return render(
        request,
        "assistance/my_request.html",
        {
            "context": context,
            "ticket": ticket,
            "form": form,
            "closed": ticket.status == ticket.CLOSED_STATUS,
            "followups": FollowUp.objects.filter(ticket=ticket, public=True)
            .select_related("user")
            .order_by("date", "pk"),
        },
    )


# --- the agents (cockpit screen "demandes-assistance") ------------------------------


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Réponse"), widget=forms.Textarea)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Motif"), required=False, max_length=1000)


def ticket_context(request, ticket) -> dict:
    return {
        "followups": FollowUp.objects.filter(ticket=ticket)
        .select_related("user")
        .prefetch_related("ticketchange_set")
        .order_by("date", "pk"),
        "canned": canned_answers(ticket),
        "deadlines": deadlines(ticket),
        "siimop": getattr(ticket, "siimop", None),
    }


def _ticket(request, pk: int):
    return get_record(request, get_screen("demandes-assistance"), pk, "change")


@login_required
@require_http_methods(["POST"])
def ticket_answer(request, pk: int):
    ticket = _ticket(request, pk)
    form = AnswerForm(request.POST)
    return decide(
        request,
        get_screen("demandes-assistance"),
        pk,
        lambda: answer_send(
            by=request.user, ticket=ticket, text=form.cleaned_data["text"]
        ),
        _("Réponse envoyée à la personne par e-mail."),
        form=form,
    )


@login_required
@require_http_methods(["POST"])
def ticket_tier(request, pk: int, decision: str):
    ticket = _ticket(request, pk)
    service = {"escalader": ticket_escalate, "renvoyer": ticket_deescalate}.get(
        decision
    )
    if service is None:
        raise Http404
    form = ReasonForm(request.POST)
    screen = get_screen("demandes-assistance")
    response = decide(
        request,
        screen,
        pk,
        lambda: service(
            by=request.user, ticket=ticket, reason=form.cleaned_data["reason"]
        ),
        _("Demande escaladée au niveau 2.")
        if decision == "escalader"
        else _("Demande renvoyée au niveau 1."),
        form=form,
    )
    if not visible_tickets(request.user).filter(pk=pk).exists():
        return redirect(screen_url(screen, "list"))  # handed to a team he is not in
    return response
