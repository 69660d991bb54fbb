"""Generic cockpit views: one implementation for every registered screen.

Every view starts from the screen's selector (`visible_<things>(user)`), so a record
outside the person's perimeter is never found (404); changes also need the role's model
permission and a django-guardian permission on the record's perimeter (403 otherwise).
"""

import functools
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.forms.utils import ErrorDict
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from . import history, wording
from .actor import SESSION_KEY
from .bulk import REFUSALS, refusal_reason
from .export import csv_response, plain, resolve, rows, xlsx_response
from .registry import SECTIONS, Screen, registry
from .selectors import list_preference, visible_saved_filters
from .services import (
    clean_query,
    list_preference_save,
    saved_filter_create,
    saved_filter_delete,
)
from .tables import PER_PAGE_CHOICES, SelectionColumn

EXPORT_FORMATS = ("xlsx", "csv")


def get_screen(slug: str) -> Screen:
    try:
        return registry.screens[slug]
    except KeyError:
        raise Http404 from None


def require(request, screen: Screen, action: str, obj=None) -> None:
    if not request.actor.can(screen, action, obj):
        raise PermissionDenied(
            _("Votre fonction ne permet pas cette action sur ce dossier.")
        )


def door(url_name: str):
    """The page of a menu entry: signed in, and opened by the very rule the menu shows
    the entry by (`MenuEntry.opens`), so a shown door never answers 403."""

    def decorate(view):
        @login_required
        @functools.wraps(view)
        def guarded(request, *args, **kwargs):
            entry = registry.menu_entry(url_name)
            if not entry.opens(request.actor):
                raise PermissionDenied(
                    entry.refusal
                    or _("Votre fonction ne donne pas accès à cette page.")
                )
            return view(request, *args, **kwargs)

        return guarded

    return decorate


def screen_url(screen: Screen, view: str, **kwargs) -> str:
    return reverse(f"cockpit:{screen.url_name}_{view}", kwargs=kwargs or None)


def get_record(request, screen: Screen, pk: int, action: str):
    """The record if it lies in the perimeter (else 404) and the action is allowed."""
    obj = get_object_or_404(screen.selector(request.user), pk=pk)
    require(request, screen, action, obj)
    return obj


def _filtered(request, screen: Screen):
    queryset = screen.selector(request.user)
    return screen.filterset_class(request.GET, queryset=queryset, request=request)


def _back(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


def _column_names(screen: Screen) -> list[tuple[str, str]]:
    table = screen.table_class(screen.model.objects.none())
    return [(c.name, str(c.header)) for c in table.columns if c.name != "selection"]


@login_required
def home(request):
    """ACCUEIL: the active function and the counts that matter to it."""
    groups: dict[str, list] = {}
    if request.actor.function is not None or request.actor.is_superuser:
        for home_cards in registry.dashboard:
            if home_cards.serves(request.actor):
                for card in home_cards.provider(request):
                    groups.setdefault(card.group, []).append(card)
    return render(
        request,
        "cockpit/home.html",
        {
            "person": getattr(request.user, "person", None),
            "functions": request.actor.functions,
            "active": request.actor.function,
            # What waits for the person first: the groups holding work to do.
            "groups": dict(
                sorted(
                    groups.items(),
                    key=lambda item: not any(c.level == "warning" for c in item[1]),
                )
            ),
            "cards": [card for cards in groups.values() for card in cards],
        },
    )


@login_required
@require_POST
def switch_function(request):
    wanted = request.POST.get("function")
    match = next((f for f in request.actor.functions if str(f.pk) == wanted), None)
    if match is None:
        messages.error(request, _("Cette fonction n'est pas l'une des vôtres."))
    else:
        request.session[SESSION_KEY] = match.pk
        messages.success(request, wording.working_as(match.noun or match.label))
    return redirect(_back(request, reverse("cockpit:home")))


@login_required
def screen_list(request, screen: str):
    screen = get_screen(screen)
    require(request, screen, "view")
    preference = list_preference(request.user, screen.slug)
    filterset = _filtered(request, screen)
    bulk_actions = [
        a for a in screen.bulk_actions if request.actor.can(screen, a.permission)
    ]
    extra = [("selection", SelectionColumn())] if bulk_actions else []
    table = screen.table_class(
        filterset.qs,
        request=request,
        exclude=preference.hidden_columns,
        extra_columns=extra,
        sequence=["selection", "..."] if extra else ("...",),
        caption=screen.label,
    )
    per_page = request.GET.get("per_page")
    per_page = int(per_page) if per_page and per_page.isdigit() else preference.per_page
    RequestConfig(request, paginate={"per_page": min(per_page, 100)}).configure(table)
    query = request.GET.urlencode()
    criteria = clean_query(query)
    return render(
        request,
        screen.list_template,
        {
            "screen": screen,
            "table": table,
            "filterset": filterset,
            "query": query,
            "criteria": criteria,
            "bulk_actions": bulk_actions,
            "can_create": screen.create_form_class is not None
            and request.actor.can(screen, "add"),
            "saved_filters": visible_saved_filters(request.actor, screen.slug),
            "columns": [
                (name, header, name not in preference.hidden_columns)
                for name, header in _column_names(screen)
            ],
            "per_page": per_page,
            "per_page_choices": PER_PAGE_CHOICES,
            "export_formats": EXPORT_FORMATS,
        },
    )


# A refused decision's form, as typed, for the record's page it goes back to.
REFUSED_DECISION = "cockpit:refused_decision"


@login_required
def screen_detail(request, screen: str, pk: int):
    screen = get_screen(screen)
    obj = get_record(request, screen, pk, "view")
    refused = request.session.pop(REFUSED_DECISION, None)
    context = {
        "screen": screen,
        "object": obj,
        "fields": _fields(obj, screen),
        "history": history.entries(obj.history.all())
        if hasattr(obj, "history")
        else [],
        "can_edit": screen.form_class is not None
        and request.actor.can(screen, "change", obj),
        "can_delete": screen.delete is not None
        and request.actor.can(screen, "delete", obj),
    }
    context["decisions"] = offered_decisions(request, screen, obj)
    # Where each offered decision posts, for pages that draw its form themselves.
    context["decision_urls"] = {
        d["decision"].name: d["url"] for d in context["decisions"]
    }
    if screen.detail_context is not None:
        context.update(screen.detail_context(request, obj))
    if refused and refused["screen"] == screen.slug and refused["pk"] == obj.pk:
        _redraw_refused(context, refused)
    return render(request, screen.detail_template, context)


def _refused_form_state(screen: Screen, obj, form, request) -> dict:
    """What the record's page needs to draw a refused decision's form again: its
    class, the values typed and the errors (the form's and the service's)."""
    return {
        "screen": screen.slug,
        "pk": obj.pk,
        "form": f"{type(form).__module__}.{type(form).__qualname__}",
        "data": {
            key: request.POST.getlist(key)
            for key in request.POST
            if key not in ("csrfmiddlewaretoken", "next")
        },
        "errors": form.errors.get_json_data(),
    }


def _redraw_refused(context: dict, refused: dict) -> None:
    """The page's own (unbound) form of the refused decision, bound again to what the
    person typed, with its errors next to its fields: she corrects, not retypes."""
    for form in context.values():
        name = f"{type(form).__module__}.{type(form).__qualname__}"
        if (
            not isinstance(form, forms.BaseForm)
            or form.is_bound
            or name != refused["form"]
        ):
            continue
        form.data = MultiValueDict(refused["data"])
        form.is_bound = True
        form.cleaned_data = {}
        form._errors = ErrorDict(renderer=form.renderer)
        for field, errors in refused["errors"].items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, ValidationError(error["message"], error["code"]))


def _fields(obj, screen: Screen) -> list[tuple[str, object]]:
    """Label and value of each column of the screen's table, for the detail page."""
    table = screen.table_class(screen.model.objects.none())
    result = []
    for column in table.columns:
        if column.name in ("selection", "actions"):
            continue
        accessor = str(column.accessor) if column.accessor else column.name
        try:
            value = resolve(obj, accessor)
        except AttributeError:
            continue
        result.append((str(column.header), plain(value) if value is not None else ""))
    return result


def form_page(request, screen: Screen, form, *, obj=None, title: str):
    return render(
        request,
        "cockpit/form.html",
        {"screen": screen, "form": form, "object": obj, "title": title},
    )


def save_form(form, write: Callable[[], object]) -> object | None:
    """Run a service for a valid form; its refusals become the form's errors."""
    try:
        return write()
    except ValidationError as error:
        add_refusal(form, error)
        return None


def add_refusal(form, error: ValidationError) -> None:
    """A service's refusal on the form: on its field when it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def errors_text(form) -> str:
    return " ".join(e for errors in form.errors.values() for e in errors)


def decide(request, screen: Screen, pk: int, write, success: str, form=None):
    """Run a decision on a record (a service, through `write`) from its page: say how
    it went (the service's refusal, or the form's errors), then go back to the page."""
    # A bound empty form when there is nothing to ask: it carries the refusal.
    form = form if form is not None else forms.Form(data={})
    if form.is_valid() and save_form(form, write) is not None:
        messages.success(request, success)
    else:
        messages.error(request, errors_text(form))
    return redirect(screen_url(screen, "detail", pk=pk))


def offered_decisions(request, screen: Screen, obj) -> list[dict]:
    """The decisions the record's page offers this person, with where each posts."""
    return [
        {
            "decision": d,
            "url": reverse(
                f"cockpit:{screen.url_name}_decision", args=[obj.pk, d.name]
            ),
            # Said here: a template would call the `form` callable, not read it.
            "asks": d.form is not None,
        }
        for d in screen.decisions
        if d.applies(obj) and request.actor.can(screen, d.permission, obj)
    ]


@login_required
@require_POST
def screen_decision(request, screen: str, pk: int, decision: str):
    """Every declared decision of every screen: its form, its service, its message.

    The service's refusal (or the form's errors) is said on the record's page, whose
    form of the decision comes back as typed with its errors next to it (through the
    session: the page is still reached by a redirect); nothing is written unless the
    whole decision goes through.
    """
    screen = get_screen(screen)
    chosen = screen.decision(decision)
    if chosen is None:
        raise Http404
    obj = get_record(request, screen, pk, chosen.permission)
    form = chosen.form(request, obj) if chosen.form else forms.Form(data={})
    if form.is_valid():
        try:
            with transaction.atomic():
                chosen.run(request.user, obj, **form.cleaned_data)
        except ValidationError as error:
            add_refusal(form, error)
        except PermissionDenied as error:
            form.add_error(None, refusal_reason(error))
    page = screen_url(screen, "detail", pk=obj.pk)
    back = _back(request, page)
    if form.errors:
        messages.error(request, errors_text(form))
        if form.fields and back == page:
            # The record's page draws the form again, as typed, with its errors.
            request.session[REFUSED_DECISION] = _refused_form_state(
                screen, obj, form, request
            )
    else:
        messages.success(request, chosen.success % {"record": obj})
    return HttpResponseRedirect(back)


@login_required
def screen_edit(request, screen: str, pk: int):
    screen = get_screen(screen)
    if screen.form_class is None:
        raise Http404
    obj = get_record(request, screen, pk, "change")
    form = screen.form_class(request.POST or None, instance=obj, request=request)
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, lambda: form.save_with(request.user))
        if saved is not None:
            messages.success(request, _("Modifications enregistrées."))
            return redirect(screen_url(screen, "detail", pk=saved.pk))
    return form_page(request, screen, form, obj=obj, title=_("Modifier : %s") % obj)


@login_required
def screen_create(request, screen: str):
    screen = get_screen(screen)
    if screen.create_form_class is None:
        raise Http404
    require(request, screen, "add")
    # A link may name some fields' first values (the post opening's "Créer un poste"
    # names its semester, DES and phase); the person still checks them and saves.
    fields = screen.create_form_class.base_fields
    initial = {name: value for name, value in request.GET.items() if name in fields}
    form = screen.create_form_class(
        request.POST or None, request=request, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, lambda: form.save_with(request.user))
        if saved is not None:
            messages.success(request, _("« %s » a été créé.") % saved)
            return redirect(screen_url(screen, "detail", pk=saved.pk))
    return form_page(
        request, screen, form, title=_("Nouveau : %s") % screen.label.lower()
    )


@login_required
def screen_delete(request, screen: str, pk: int):
    screen = get_screen(screen)
    if screen.delete is None:
        raise Http404
    obj = get_record(request, screen, pk, "delete")
    if request.method == "POST":
        label = str(obj)
        try:
            screen.delete(request.user, obj)
        except (ValidationError, ProtectedError) as error:
            messages.error(request, refusal_reason(error))
            return redirect(screen_url(screen, "detail", pk=pk))
        messages.success(request, _("« %s » a été supprimé.") % label)
        return redirect(screen_url(screen, "list"))
    return render(
        request, "cockpit/confirm_delete.html", {"screen": screen, "object": obj}
    )


@login_required
@require_POST
def screen_bulk(request, screen: str):
    """A bulk action on the ticked rows, or on every row the filters select.

    The confirmation page previews the rows and asks the action's parameters; nothing
    runs before it is confirmed (when the action asks for it).
    """
    screen = get_screen(screen)
    action = next(
        (a for a in screen.bulk_actions if a.name == request.POST.get("action")), None
    )
    if action is None:
        raise Http404
    require(request, screen, action.permission)
    back = _back(request, screen_url(screen, "list"))
    query = request.POST.get("query", "")
    if request.POST.get("all_matching") == "1":
        records = screen.filterset_class(
            QueryDict(query), queryset=screen.selector(request.user), request=request
        ).qs
        found = list(records)
    else:
        wanted = {int(pk) for pk in request.POST.getlist("selection") if pk.isdigit()}
        records = screen.selector(request.user).filter(pk__in=wanted)
        found = list(records)
        if len(found) != len(wanted):
            raise Http404  # a selected id lies outside the perimeter
    if not found:
        messages.warning(request, _("Sélectionnez au moins une ligne."))
        return HttpResponseRedirect(back)
    for obj in found:
        require(request, screen, action.permission, obj)
    form = (
        action.form_class(request.POST if request.POST.get("confirmed") else None)
        if action.form_class
        else None
    )
    confirmed = request.POST.get("confirmed") == "1"
    if (action.confirm or form is not None) and (
        not confirmed or (form is not None and not form.is_valid())
    ):
        return render(
            request,
            "cockpit/bulk_confirm.html",
            {
                "screen": screen,
                "action": action,
                "records": found,
                "question": action.question(request.user, found),
                "rows": _preview(action, request.user, found),
                "back": back,
                "form": form or "",
                "all_matching": request.POST.get("all_matching") == "1",
                "query": query,
            },
        )
    params = form.cleaned_data if form is not None else {}
    try:
        with transaction.atomic():
            count = action.run(request.user, records, **params)
    except REFUSALS as error:
        messages.error(request, refusal_reason(error))
    else:
        messages.success(
            request,
            ngettext(
                "%(action)s : %(count)s ligne traitée.",
                "%(action)s : %(count)s lignes traitées.",
                count,
            )
            % {"action": action.label, "count": count},
        )
    return HttpResponseRedirect(back)


def _preview(action, user, records: list) -> list[tuple[object, str]]:
    """Each selected row with what the action's preview says of it ("" if nothing)."""
    notes = action.preview(user, records) if action.preview else {}
    return [(record, notes.get(record.pk, "")) for record in records]


def export_columns(screen: Screen) -> list[tuple[str, object]]:
    if screen.export_columns is not None:
        return screen.export_columns
    table = screen.table_class(screen.model.objects.none())
    return [
        (str(c.header), str(c.accessor) if c.accessor else c.name)
        for c in table.columns
        if c.name not in ("selection", "actions")
    ]


@login_required
def screen_export(request, screen: str, fmt: str):
    screen = get_screen(screen)
    if fmt not in EXPORT_FORMATS:
        raise Http404
    require(request, screen, "view")
    filterset = _filtered(request, screen)
    queryset = filterset.qs
    sort = request.GET.get("sort")
    if sort:
        table = screen.table_class(queryset, order_by=sort)
        queryset = table.data.data  # ordered as on screen
    columns = export_columns(screen)
    headers = [str(header) for header, _path in columns]  # lazy labels, for openpyxl
    data = rows(queryset, columns)
    filename = f"{screen.slug}"
    if fmt == "csv":
        return csv_response(filename, headers, data)
    return xlsx_response(filename, screen.label, headers, data)


@login_required
@require_POST
def screen_columns(request, screen: str):
    screen = get_screen(screen)
    require(request, screen, "view")
    shown = set(request.POST.getlist("columns"))
    names = [name for name, _header in _column_names(screen)]
    per_page = request.POST.get("per_page", "")
    try:
        list_preference_save(
            user=request.user,
            screen=screen.slug,
            hidden_columns=[n for n in names if n not in shown],
            per_page=int(per_page) if per_page.isdigit() else 0,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Affichage enregistré."))
    return HttpResponseRedirect(_back(request, screen_url(screen, "list")))


@login_required
@require_POST
def saved_filter_save(request, screen: str):
    screen = get_screen(screen)
    require(request, screen, "view")
    query = request.POST.get("query", "")
    try:
        saved = saved_filter_create(
            actor=request.actor,
            screen=screen.slug,
            name=request.POST.get("name", ""),
            query=query,
            shared=request.POST.get("shared") == "on",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(f"{screen_url(screen, 'list')}?{query}")
    messages.success(request, _("Filtre « %s » enregistré.") % saved.name)
    return HttpResponseRedirect(f"{screen_url(screen, 'list')}?{saved.query}")


@login_required
@require_POST
def saved_filter_remove(request, screen: str, filter_pk: int):
    screen = get_screen(screen)
    saved = get_object_or_404(
        visible_saved_filters(request.actor, screen.slug), pk=filter_pk
    )
    saved_filter_delete(actor=request.actor, saved_filter=saved)
    messages.success(request, _("Filtre « %s » supprimé.") % saved.name)
    return redirect(screen_url(screen, "list"))


def menu(request) -> list[tuple[str, list]]:
    """The sections and entries the active function may open, in the production order."""
    actor = getattr(request, "actor", None)
    if actor is None or not request.user.is_authenticated:
        return []
    by_section: dict[str, list] = {}
    for entry in sorted(registry.menu, key=lambda e: (e.order, e.label)):
        if entry.opens(actor):
            by_section.setdefault(entry.section, []).append(
                (entry.label, reverse(f"cockpit:{entry.url_name}"))
            )
    order = {name: i for i, name in enumerate(SECTIONS)}
    return sorted(by_section.items(), key=lambda item: order.get(item[0], len(order)))
