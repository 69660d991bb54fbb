"""MES INFORMATIONS, and the function pages of PERSONNES ET FONCTIONS."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from domains.cockpit.confirmation import (
    confirmation_first,
    recently_confirmed,
    requires_recent_confirmation,
)
from domains.cockpit.views import (
    form_page,
    get_record,
    get_screen,
    save_form,
    screen_url,
)

from . import services
from .forms import EmailAddForm, FunctionGrantForm, PersonForm
from .models import EmailAddress, Function


def _me(request):
    person = getattr(request.user, "person", None)
    if person is None:
        raise Http404(_("Ce compte n'est rattaché à aucune personne."))
    return person


@login_required
def my_information(request):
    person = _me(request)
    form = PersonForm(request.POST or None, instance=person, request=request)
    if request.method == "POST" and form.is_valid():
        if save_form(form, lambda: form.save_with(request.user)):
            messages.success(request, _("Vos informations ont été enregistrées."))
            return redirect("cockpit:my_information")
    return render(
        request, "people/my_information.html", {"form": form, "person": person}
    )


@login_required
def my_emails(request):
    """My addresses; adding one is a sensitive change (a sign-in link or a reset can go
    to it), so it asks a fresh confirmation first."""
    person = _me(request)
    if request.method == "POST" and not recently_confirmed(request):
        return confirmation_first(request)
    form = EmailAddForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():

        def add():
            address = services.email_add(
                person=person, email=form.cleaned_data["email"], by=request.user
            )
            services.email_request_verification(address=address, by=request.user)
            return address

        address = save_form(form, add)
        if address:
            messages.success(
                request,
                _(
                    "Adresse %s ajoutée : un lien de vérification vient de lui être envoyé."
                )
                % address.email,
            )
            return redirect("cockpit:my_emails")
    return render(
        request,
        "people/my_emails.html",
        {"form": form, "person": person, "addresses": person.emails.all()},
    )


def _my_address(request, pk: int) -> EmailAddress:
    return get_object_or_404(EmailAddress, pk=pk, person=_me(request))


def _run(request, write, success: str):
    try:
        write()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("cockpit:my_emails")


@login_required
@require_POST
@requires_recent_confirmation
def my_email_primary(request, pk: int):
    address = _my_address(request, pk)
    return _run(
        request,
        lambda: services.email_set_primary(
            address=address, by=request.user, require_verified=True
        ),
        _("%s est désormais votre adresse principale.") % address.email,
    )


@login_required
@require_POST
@requires_recent_confirmation
def my_email_resend(request, pk: int):
    address = _my_address(request, pk)
    return _run(
        request,
        lambda: services.email_request_verification(address=address, by=request.user),
        _("Un nouveau lien de vérification a été envoyé à %s.") % address.email,
    )


@login_required
@requires_recent_confirmation
def my_email_remove(request, pk: int):
    address = _my_address(request, pk)
    if request.method != "POST":
        return render(request, "people/email_confirm_remove.html", {"address": address})
    return _run(
        request,
        lambda: services.email_remove(address=address, by=request.user),
        _("L'adresse %s a été retirée de votre compte.") % address.email,
    )


def email_verify(request, token: str):
    """The link sent by e-mail; works without being signed in."""
    try:
        address = services.email_verify(token=token)
    except ValidationError as error:
        return render(
            request,
            "people/email_verified.html",
            {"error": " ".join(error.messages)},
            status=400,
        )
    return render(request, "people/email_verified.html", {"address": address})


@login_required
def function_grant(request, pk: int):
    screen = get_screen("personnes")
    person = get_record(request, screen, pk, "view")
    if not request.actor.has_perm("people.add_function"):
        raise PermissionDenied
    form = FunctionGrantForm(request.POST or None, request=request, person=person)
    if request.method == "POST" and form.is_valid():
        if save_form(form, lambda: form.save_with(request.user)):
            messages.success(request, _("Fonction attribuée à %s.") % person.full_name)
            return redirect(screen_url(screen, "detail", pk=person.pk))
    return form_page(
        request,
        screen,
        form,
        obj=person,
        title=_("Attribuer une fonction à %s") % person.full_name,
    )


@login_required
@require_POST
def function_end(request, pk: int, function_pk: int):
    screen = get_screen("personnes")
    person = get_record(request, screen, pk, "view")
    if not request.actor.has_perm("people.change_function"):
        raise PermissionDenied
    function = get_object_or_404(Function, pk=function_pk, person=person)
    try:
        services.function_end(function=function, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Fonction « %s » terminée.") % function)
    return redirect(reverse("cockpit:personnes_detail", args=[person.pk]))
