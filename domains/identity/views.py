from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms import MagicLinkForm
from .models import SignInEvent, SignInMethod
from .services import client_ip, magic_link_consume, magic_link_request
from .throttling import LINK_REQUEST, is_locked

BACKEND = "domains.identity.backends.EmailPasswordBackend"


@require_http_methods(["GET", "POST"])
def magic_link_ask(request):
    form = MagicLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if is_locked(login=email, ip=client_ip(request), attempts=LINK_REQUEST):
            form.add_error(
                None,
                _(
                    "Trop de demandes de lien en peu de temps : réessayez dans 15 minutes."
                ),
            )
            return render(
                request, "identity/magic_link_ask.html", {"form": form}, status=429
            )
        magic_link_request(email=email, request=request)
        # The same page for known and unknown addresses: no one learns who has an account.
        return render(
            request,
            "identity/magic_link_sent.html",
            {"email": form.cleaned_data["email"]},
        )
    return render(request, "identity/magic_link_ask.html", {"form": form})


@require_http_methods(["GET", "POST"])
def magic_link_open(request, token: str):
    """GET only shows a button: mail scanners that open links do not spend them."""
    if request.method == "GET":
        return render(request, "identity/magic_link_open.html", {"token": token})
    try:
        user = magic_link_consume(token=token, request=request)
    except ValidationError as error:
        return render(
            request,
            "identity/magic_link_open.html",
            {"error": " ".join(error.messages)},
            status=400,
        )
    request.sign_in_method = SignInMethod.MAGIC_LINK
    login(request, user, backend=BACKEND)  # rotates the session key
    return redirect(reverse("cockpit:home"))


@login_required
def connections(request):
    """MES INFORMATIONS > Connexions: how I can sign in, and my last sign-ins."""
    person = getattr(request.user, "person", None)
    events = SignInEvent.objects.filter(
        user=request.user, kind=SignInEvent.Kind.SUCCESS
    ).order_by("-at")[:20]
    return render(
        request,
        "identity/connections.html",
        {
            "has_password": request.user.has_usable_password(),
            "addresses": person.emails.all() if person else [],
            "events": events,
        },
    )
