import logging
import time

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token

from domains.cockpit.confirmation import (
    FRESH_FOR_SECONDS,
    confirmed_now,
    requires_recent_confirmation,
)
from domains.cockpit.views import save_form
from domains.referential.selectors import search_training_sites

from .forms import (
    AccountRequestForm,
    ConfirmPasswordForm,
    MagicLinkForm,
    PasswordResetAskForm,
    TotpForm,
)
from .models import IdentityProvider, SignInEvent, SignInMethod
from .saml import SamlRefused, authn_request, authn_response_read, sp_metadata
from .second_factor import (
    SESSION_FLAG,
    pending_device,
    qr_svg,
    secret_of,
    totp_enabled,
    totp_required,
)
from .services import (
    SsoOutcome,
    account_request_submit,
    client_ip,
    federated_identity_attach,
    federated_sign_in,
    magic_link_consume,
    magic_link_enable,
    magic_link_request,
    password_confirm,
    password_reset_asked,
    sign_in_event_record,
    sign_in_method_remove,
    sign_out_everywhere,
)
from .throttling import LINK_REQUEST, RESET_REQUEST, TOTP_FAILURE, is_locked

BACKEND = "domains.identity.backends.EmailPasswordBackend"
logger = logging.getLogger("siimop.identity")


class PasswordResetAsk(auth_views.PasswordResetView):
    """The "Mot de passe oublié" form, throttled like magic links (per person or unknown
    address, and per client address), the same answer whether the address is known;
    the worker e-mails the link (identity/password_reset_email), built from
    SIIMOP_BASE_URL, never from the request or Sites."""

    form_class = PasswordResetAskForm
    template_name = "identity/password_reset.html"
    success_url = reverse_lazy("identity:password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if is_locked(login=email, ip=client_ip(self.request), attempts=RESET_REQUEST):
            form.add_error(
                None,
                _(
                    "Trop de demandes de réinitialisation en peu de temps : "
                    "réessayez dans 15 minutes."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        password_reset_asked(email=email, request=self.request)
        return super().form_valid(form)


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
        user=request.user,
        kind__in=[
            SignInEvent.Kind.SUCCESS,
            SignInEvent.Kind.FAILURE,
            SignInEvent.Kind.LINKED,
            SignInEvent.Kind.UNLINKED,
            SignInEvent.Kind.MERGED,
            SignInEvent.Kind.REAUTH,
            SignInEvent.Kind.RESET_ASKED,
        ],
    ).order_by("-at")[:20]
    return render(
        request,
        "identity/connections.html",
        {
            "totp_enabled": totp_enabled(request.user),
            "totp_required": totp_required(request.user),
            "has_password": request.user.has_usable_password(),
            "magic_link_enabled": request.user.magic_link_enabled,
            "addresses": person.emails.all() if person else [],
            "federated_identities": _with_provider_names(
                person.federated_identities.all() if person else []
            ),
            "universities": IdentityProvider.objects.filter(is_active=True).exists(),
            "events": events,
        },
    )


def _with_provider_names(identities) -> list:
    identities = list(identities)
    names = dict(IdentityProvider.objects.values_list("entity_id", "name"))
    for identity in identities:
        identity.provider_name = names.get(identity.issuer, identity.issuer)
    return identities


SITE_RESULTS = 20


@require_http_methods(["GET", "POST"])
def account_request(request):
    """Public: someone not yet in SIIMOP asks for an account (a new RTS, say)."""
    query = (request.GET.get("q") or request.POST.get("q") or "").strip()
    searched = len(query) >= 3
    sites = search_training_sites(query, limit=SITE_RESULTS) if searched else None
    # After a university sign-in that matched nobody, what the university said.
    initial = request.session.get(SSO_IDENTITY, {})
    form = AccountRequestForm(request.POST or None, sites=sites, initial=initial)
    if request.method == "POST" and form.is_valid():
        submitted = save_form(
            form,
            lambda: (
                account_request_submit(**form.cleaned_data, ip=client_ip(request))
                or True
            ),
        )
        if submitted:
            return render(
                request,
                "identity/account_request_sent.html",
                {"email": form.cleaned_data["email"]},
            )
    return render(
        request,
        "identity/account_request.html",
        {"form": form, "query": query, "searched": searched},
    )


@login_required
@require_http_methods(["GET", "POST"])
@requires_recent_confirmation
def totp_setup(request):
    """Turn on the second factor: scan the code, type the first 6 digits it shows."""
    if totp_enabled(request.user):
        return redirect(reverse("cockpit:connections"))
    device = pending_device(request.user)
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            request.session[SESSION_FLAG] = True
            # Sessions opened before knew no second factor: they end here.
            sign_out_everywhere(user=request.user, request=request)
            _own_event(request, SignInEvent.Kind.TOTP_ENABLED, SignInMethod.TOTP)
            messages.success(request, _("La double authentification est activée."))
            return redirect(reverse("cockpit:connections"))
        form.add_error(
            "code",
            _(
                "Code incorrect : vérifiez l'heure de votre téléphone et "
                "saisissez le code affiché maintenant."
            ),
        )
    return render(
        request,
        "identity/totp_setup.html",
        {
            "form": form,
            "secret": secret_of(device),
            "qr": qr_svg(device),
            "required": totp_required(request.user),
        },
    )


def _own_event(request, kind: str, method: str, reason: str = "") -> None:
    """The signed-in person's own event in the sign-in log."""
    sign_in_event_record(
        kind=kind,
        method=method,
        request=request,
        user=request.user,
        login=request.user.email,
        reason=reason,
    )


def _second_factor_check(request, form) -> bool:
    """The typed code against the person's devices, throttled and logged like a
    password; on success the session is verified (and confirmed) by this device."""
    if is_locked(
        login=request.user.email, ip=client_ip(request), attempts=TOTP_FAILURE
    ):
        form.add_error(
            "code", _("Trop de codes incorrects : réessayez dans 15 minutes.")
        )
        return False
    device = match_token(request.user, form.cleaned_data["code"])
    if device is None:
        _own_event(
            request, SignInEvent.Kind.FAILURE, SignInMethod.TOTP, "code incorrect"
        )
        form.add_error("code", _("Code incorrect."))
        return False
    otp_login(request, device)
    confirmed_now(request)
    return True


@login_required
@require_http_methods(["GET", "POST"])
def totp_verify(request):
    form = TotpForm(request.POST or None)
    target = _safe_next(request.GET.get("next", ""))
    if (
        request.method == "POST"
        and form.is_valid()
        and _second_factor_check(request, form)
    ):
        return redirect(target)
    return render(request, "identity/totp_verify.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def confirm(request):
    """Confirm who you are before a sensitive change: the second-factor code when the
    account has one, else the password; an account with neither signs in again."""
    target = _safe_next(request.GET.get("next", ""), reverse("cockpit:connections"))
    if totp_enabled(request.user):
        way, form = "code", TotpForm(request.POST or None)
    elif request.user.has_usable_password():
        way, form = "password", ConfirmPasswordForm(request.POST or None)
    else:
        way, form = "sign_in", None
    if request.method == "POST" and form is not None and form.is_valid():
        if way == "code":
            confirmed = _second_factor_check(request, form)
        else:
            confirmed = password_confirm(
                request=request, password=form.cleaned_data["password"]
            )
            if not confirmed:
                form.add_error(
                    "password",
                    _(
                        "Mot de passe incorrect (ou connexion par mot de passe "
                        "suspendue après trop d'échecs : réessayez dans 15 minutes)."
                    ),
                )
        if confirmed:
            confirmed_now(request)
            _own_event(
                request,
                SignInEvent.Kind.REAUTH,
                SignInMethod.TOTP if way == "code" else SignInMethod.PASSWORD,
            )
            return redirect(target)
    return render(
        request,
        "identity/confirm.html",
        {"form": form, "way": way, "minutes": FRESH_FOR_SECONDS // 60},
    )


@login_required
@require_http_methods(["POST"])
@requires_recent_confirmation
def sign_out_other_sessions(request):
    sign_out_everywhere(user=request.user, request=request)
    messages.success(request, _("Vos autres sessions sont fermées."))
    return redirect(reverse("cockpit:connections"))


# University sign-in (SAML) ----------------------------------------------------------

OUTSTANDING = "siimop_saml_outstanding"
SSO_IDENTITY = "siimop_sso_identity"
LINKING = "siimop_sso_linking"
LAST_IDP_COOKIE = "siimop_idp"


def _safe_next(value: str, default: str = "") -> str:
    if value and value.startswith("/") and not value.startswith(("//", "/\\")):
        return value
    return default or reverse("cockpit:home")


def university_choose(request):
    """The discovery page: pick one's university (the last one used comes first)."""
    query = (request.GET.get("q") or "").strip()
    providers = IdentityProvider.objects.filter(is_active=True)
    if query:
        providers = providers.filter(name__icontains=query)
    last = IdentityProvider.objects.filter(
        pk=request.COOKIES.get(LAST_IDP_COOKIE, "").strip() or None, is_active=True
    ).first()
    return render(
        request,
        "identity/university_choose.html",
        {
            "providers": providers,
            "query": query,
            "last": last,
            "next": _safe_next(request.GET.get("next", "")),
        },
    )


def university_sign_in(request, pk: int):
    """Send the browser to the university with an AuthnRequest we remember."""
    idp = IdentityProvider.objects.filter(pk=pk, is_active=True).first()
    if idp is None:
        raise Http404
    target = _safe_next(request.GET.get("next", ""))
    request_id, location = authn_request(idp, relay_state=target)
    outstanding = dict(list(request.session.get(OUTSTANDING, {}).items())[-4:])
    outstanding[request_id] = target
    request.session[OUTSTANDING] = outstanding
    response = redirect(location)
    response.set_cookie(
        LAST_IDP_COOKIE, str(idp.pk), max_age=365 * 86400, samesite="Lax"
    )
    return response


def _sso_error(request, error: SamlRefused):
    sign_in_event_record(
        kind=SignInEvent.Kind.FAILURE,
        method=SignInMethod.SAML,
        request=request,
        reason=error.reason,
    )
    logger.warning("SAML refusé : %s", error.reason)
    return render(
        request, "identity/saml_error.html", {"message": error.message}, status=403
    )


@csrf_exempt  # the IdP posts here from its own site; the response is signed instead
@require_http_methods(["POST"])
def saml_acs(request):
    """Assertion consumer service.

    The IdP's POST comes from another site, so the browser withholds our SameSite=Lax
    session cookie: the first pass posts the same form again from our own page, where
    the session is there to check InResponseTo against.
    """
    saml_response = request.POST.get("SAMLResponse", "")
    if request.POST.get("relayed") != "1":
        return render(
            request,
            "identity/saml_post.html",
            {
                "action": reverse("identity:saml_acs"),
                "saml_response": saml_response,
                "relay_state": request.POST.get("RelayState", ""),
                "relayed": True,
            },
        )
    outstanding = dict(request.session.get(OUTSTANDING, {}))
    try:
        idp, identity = authn_response_read(saml_response, outstanding)
        # One response per request: a replay finds nothing outstanding.
        solicited = outstanding.pop(identity.in_response_to, None) is not None
        request.session[OUTSTANDING] = outstanding
        linking_since = request.session.pop(LINKING, None)
        if request.user.is_authenticated and not solicited:
            # Unsolicited while signed in: a page elsewhere posting someone's response
            # into this browser would link that identity or switch the account.
            raise SamlRefused(
                "réponse non sollicitée pour une session ouverte",
                _(
                    "Cette réponse de l'université ne fait suite à aucune demande de "
                    "votre part : rien n'a été modifié."
                ),
            )
        if (
            request.user.is_authenticated
            and isinstance(linking_since, int)
            and time.time() - linking_since < FRESH_FOR_SECONDS
        ):
            return _attach(request, identity)
        outcome, user = federated_sign_in(
            identity=identity, provider=idp, request=request
        )
    except SamlRefused as error:
        return _sso_error(request, error)
    if outcome == SsoOutcome.SIGNED_IN:
        request.sign_in_method = SignInMethod.SAML
        login(request, user, backend=BACKEND)  # rotates the session key
        return redirect(_safe_next(identity.came_from))
    if outcome == SsoOutcome.NO_ACCOUNT:
        request.session[SSO_IDENTITY] = {
            "email": identity.emails[0] if identity.emails else "",
            "first_name": identity.first_name,
            "last_name": identity.last_name,
        }
        return render(
            request, "identity/sso_no_account.html", {"identity": identity}, status=403
        )
    return render(
        request, "identity/sso_to_reconcile.html", {"identity": identity}, status=403
    )


def _attach(request, identity):
    try:
        federated_identity_attach(user=request.user, identity=identity, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Votre identité universitaire %s est rattachée à votre compte.")
            % identity.label,
        )
    return redirect(reverse("cockpit:connections"))


@login_required
@require_http_methods(["POST"])
@requires_recent_confirmation
def university_link(request):
    """From "Connexions": the next university sign-in (within 10 minutes) links rather
    than signs in."""
    request.session[LINKING] = int(time.time())
    return redirect(
        reverse("identity:university_choose")
        + "?next="
        + reverse("cockpit:connections")
    )


@login_required
@require_http_methods(["POST"])
@requires_recent_confirmation
def sign_in_method_unlink(request):
    try:
        sign_in_method_remove(
            user=request.user,
            method=request.POST.get("method", ""),
            federated_identity_id=request.POST.get("identity") or None,
            request=request,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Ce moyen de connexion est retiré de votre compte.")
        )
    return redirect(reverse("cockpit:connections"))


@login_required
@require_http_methods(["POST"])
@requires_recent_confirmation
def magic_link_turn_on(request):
    magic_link_enable(user=request.user, request=request)
    messages.success(request, _("La connexion par lien e-mail est réactivée."))
    return redirect(reverse("cockpit:connections"))


def saml_metadata(request):
    """The SP's metadata, at the stable address the federation registers."""
    return HttpResponse(sp_metadata(), content_type="application/samlmetadata+xml")
