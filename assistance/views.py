"""UNESS Assistance: for the person asking, the request form (reachable from every
page, signed in or not) and "Mes demandes"; for the agents, the ticket page (its
decisions, answer, escalate, send back, are declared on the screen)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from helpdesk.models import FollowUp, FollowUpAttachment, Ticket

from domains.cockpit.charts import BarChart
from domains.cockpit.export import xlsx_sheets_response
from domains.cockpit.forms import CockpitForm
from domains.cockpit.registry import Decision
from domains.cockpit.views import get_record, get_screen, save_form
from domains.identity.throttling import client_ip
from domains.people.roles import Role
from domains.people.selectors import (
    active_functions,
    person_functions,
    visible_persons,
)
from domains.residents.selectors import visible_residents

from .forms import ReplyForm, RequestForm
from .models import Period, Team, TicketContext
from .permissions import handles
from .selectors import (
    canned_answers,
    published_articles,
    suggested_articles,
)
from .services import (
    article_read,
    request_close,
    request_file,
    request_reply,
)
from .statistics import statistics, visible_teams
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
    key = f"assistance:anonymous:{client_ip(request) or ''}"
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
    form = RequestForm(
        request.POST or None, request.FILES or None, initial=initial, request=request
    )
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
                    attachments=_files(data.get("attachment")),
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


def _files(upload) -> list:
    return [upload] if upload else []


def suggestions(request):
    """Knowledge-base articles matching what the person is typing (fragment)."""
    text = f"{request.GET.get('title', '')} {request.GET.get('description', '')}"
    return render(
        request,
        "assistance/suggestions.html",
        {"articles": suggested_articles(text[:2000])},
    )


def article(request, pk: int):
    """A published knowledge-base article; reads from the form are counted."""
    item = get_object_or_404(published_articles(), pk=pk)
    if request.GET.get("depuis") == "formulaire":
        article_read(article=item, subdivision=_context_of(request)["subdivision"])
    return render(request, "assistance/article.html", {"article": item})


def _attachment_response(ticket, attachment_pk: int) -> FileResponse:
    attachment = get_object_or_404(
        FollowUpAttachment, pk=attachment_pk, followup__ticket=ticket
    )
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.filename
    )


@login_required
def my_attachment(request, pk: int, attachment_pk: int):
    context = get_object_or_404(
        TicketContext.objects.select_related("ticket"),
        person__user=request.user,
        ticket_id=pk,
    )
    return _attachment_response(context.ticket, attachment_pk)


@login_required
def ticket_attachment(request, pk: int, attachment_pk: int):
    return _attachment_response(
        get_record(request, get_screen("demandes-assistance"), pk, "view"),
        attachment_pk,
    )


@login_required
def my_requests(request):
    contexts = (
        TicketContext.objects.filter(person__user=request.user)
        .select_related("ticket__queue")
        .order_by("-ticket__created")
    )
    return render(request, "assistance/mine.html", {"contexts": contexts})


# What the person may do on her own request, declared once (form, service, message);
# one view serves them all.
MY_REQUEST_DECISIONS = {
    d.name: d
    for d in [
        Decision(
            name="repondre",
            label=_("Envoyer"),
            run=lambda by, ticket, text, attachment: request_reply(
                by=by, ticket=ticket, text=text, attachments=_files(attachment)
            ),
            form=lambda request, ticket: ReplyForm(request.POST, request.FILES),
            success=_("Message envoyé à l'assistance."),
        ),
        Decision(
            name="clore",
            label=_("Ma demande est réglée : la clore"),
            run=lambda by, ticket: request_close(by=by, ticket=ticket),
            success=_("Demande close. Merci."),
            confirm=_("Clore cette demande ?"),
        ),
    ]
}


def _my_context(request, pk: int) -> TicketContext:
    context = (
        TicketContext.objects.filter(person__user=request.user, ticket_id=pk)
        .select_related("ticket__queue")
        .first()
    )
    if context is None:
        raise Http404
    return context


@login_required
def my_request(request, pk: int):
    """One of her requests: the public exchanges, reply, close."""
    return _my_request_page(request, _my_context(request, pk), ReplyForm())


@login_required
@require_POST
def my_request_decision(request, pk: int, decision: str):
    """Any of her declared decisions: done, back to the page; refused, the page says
    why."""
    context = _my_context(request, pk)
    chosen = MY_REQUEST_DECISIONS.get(decision)
    if chosen is None:
        raise Http404
    ticket = context.ticket
    form = chosen.form(request, ticket) if chosen.form else forms.Form(data={})
    if form.is_valid() and save_form(
        form, lambda: chosen.run(request.user, ticket, **form.cleaned_data) or True
    ):
        messages.success(request, chosen.success % {"record": ticket})
        return redirect("assistance:request", pk=pk)
    return _my_request_page(request, context, form)


def _my_request_page(request, context: TicketContext, form):
    ticket = context.ticket
    return render(
        request,
        "assistance/my_request.html",
        {
            "context": context,
            "ticket": ticket,
            "form": form,
            "decisions": MY_REQUEST_DECISIONS,
            "closed": ticket.status == ticket.CLOSED_STATUS,
            "followups": FollowUp.objects.filter(ticket=ticket, public=True)
            .select_related("user")
            .prefetch_related("followupattachment_set")
            .order_by("date", "pk"),
        },
    )


# --- the agents (cockpit screen "demandes-assistance") ------------------------------


def ticket_context(request, ticket) -> dict:
    # A ticket her team handed on (to level 2 or another team) is hers to follow, no
    # longer to act on: the page offers no decision (the services refuse them anyway).
    read_only = (
        {}
        if handles(request.user, ticket)
        else {
            "read_only": True,
            "decisions": [],
            "decision_urls": {},
        }
    )
    return {
        **read_only,
        "followups": FollowUp.objects.filter(ticket=ticket)
        .select_related("user")
        .prefetch_related("ticketchange_set", "followupattachment_set")
        .order_by("date", "pk"),
        "canned": canned_answers(ticket),
        "priorities": Ticket.PRIORITY_CHOICES,
        "deadlines": deadlines(ticket),
        "siimop": getattr(ticket, "siimop", None),
        **person_context(request.user, getattr(ticket, "siimop", None)),
    }


def person_context(user, siimop) -> dict:
    """The person's functions and resident file, if the agent's perimeter holds
    them (another subdivision's resident stays hidden)."""
    person = siimop.person if siimop else None
    if person is None:
        return {"person": None}
    resident = visible_residents(user).filter(person=person).first()
    listed = visible_persons(user).filter(pk=person.pk).exists()
    if resident is None and not listed:
        return {"person": None}
    return {
        "person": person,
        "person_listed": listed,
        "person_functions": person_functions(person),
        "resident": resident,
    }


# --- statistics ---------------------------------------------------------------------


class StatisticsForm(CockpitForm):
    period = forms.ModelChoiceField(
        label=_("Période"), queryset=Period.objects.all(), required=False
    )
    team = forms.ModelChoiceField(
        label=_("Équipe"), queryset=Team.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].empty_label = _("Depuis le début")
        self.fields["team"].queryset = visible_teams(user)
        self.fields["team"].empty_label = _("Toutes les équipes")


def _hours(value) -> str:
    return "—" if value is None else f"{value:.1f} h".replace(".", ",")


@login_required
def statistics_page(request):
    """Per period and team: volumes, times, escalations, articles; XLSX export."""
    if not request.actor.has_perm("assistance.view_statistics"):
        raise PermissionDenied(
            _("Votre fonction ne donne pas accès à ces statistiques.")
        )
    form = StatisticsForm(request.GET or None, user=request.user)
    choice = form.cleaned_data if form.is_valid() else {}
    period, team = choice.get("period"), choice.get("team")
    stats = statistics(request.user, period=period, team=team)
    if request.GET.get("format") == "xlsx":
        return _statistics_xlsx(stats, period, team)
    return render(
        request,
        "assistance/statistics.html",
        {
            "form": form,
            "stats": stats,
            "period": period,
            "team": team,
            "times": [
                (
                    _("Première réponse"),
                    stats.answered,
                    *map(_hours, stats.first_response),
                ),
                (_("Résolution"), stats.resolved, *map(_hours, stats.resolution)),
            ],
            # Drawn to scale, each with its data table (cockpit/_bar_chart.html).
            "breakdowns": [
                BarChart(
                    title=str(title),
                    rows=[(r.label, r.count) for r in rows],
                    label_header=str(header),
                    value_header=str(_("Demandes")),
                )
                for title, header, rows in (
                    (_("Par catégorie"), _("Catégorie"), stats.by_category),
                    (_("Par équipe"), _("Équipe"), stats.by_team),
                    (_("Par niveau"), _("Niveau"), stats.by_tier),
                    (_("Par état"), _("État"), stats.by_status),
                    (
                        _("Articles d'aide les plus lus"),
                        _("Article"),
                        stats.articles,
                    ),
                )
            ],
            "export_query": request.GET.urlencode(),
        },
    )


def _statistics_xlsx(stats, period, team):
    def rows(items):
        return [[r.label, r.count] for r in items]

    summary = [
        [_("Période"), str(period) if period else _("Depuis le début")],
        [_("Équipe"), str(team) if team else _("Toutes les équipes")],
        [_("Demandes"), stats.total],
        [_("Escaladées au niveau 2"), stats.escalated],
        [_("Taux d'escalade (%)"), stats.escalation_rate],
        [_("Première réponse, médiane (h ouvrées)"), stats.first_response[0]],
        [_("Première réponse, 90e centile (h ouvrées)"), stats.first_response[1]],
        [_("Résolution, médiane (h ouvrées)"), stats.resolution[0]],
        [_("Résolution, 90e centile (h ouvrées)"), stats.resolution[1]],
    ]
    summary = [
        [str(a), b if isinstance(b, (int, float)) or b is None else str(b)]
        for a, b in summary
    ]
    return xlsx_sheets_response(
        "statistiques-assistance",
        [
            (_("Synthèse"), [_("Indicateur"), _("Valeur")], summary),
            (_("Catégories"), [_("Catégorie"), _("Demandes")], rows(stats.by_category)),
            (_("Équipes"), [_("Équipe"), _("Demandes")], rows(stats.by_team)),
            (_("Niveaux"), [_("Niveau"), _("Demandes")], rows(stats.by_tier)),
            (_("États"), [_("État"), _("Demandes")], rows(stats.by_status)),
            (_("Articles"), [_("Article"), _("Lectures")], rows(stats.articles)),
        ],
    )
