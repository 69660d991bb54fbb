"""The pages people see when a request fails (400, 403, 404, 500, CSRF refusal): French,
DSFR, with the site's header and footer, and never a second error.

Each page is first rendered with the request (context processors: the person, the
cockpit menu, the DSFR configuration). What broke the request may break that too (the
database is down, the host is not allowed, a middleware failed before the actor was
set): the page is then rendered without the request, and as a last resort a fixed French
page is sent, so an error page never raises.
"""

import logging

from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader

logger = logging.getLogger("siimop")

_LAST_RESORT = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>{title} — SIIMOP</title></head>
<body><main><h1>{title}</h1><p>Erreur {status}</p>
<p>{text}</p><p><a href="/">Page d'accueil</a></p></main></body></html>"""
_LAST_RESORT_TEXTS = {
    400: ("Requête incorrecte", "Le serveur n'a pas pu traiter la demande envoyée."),
    403: ("Accès refusé", "Vous n'avez pas le droit d'accéder à cette page."),
    404: ("Page non trouvée", "La page que vous cherchez est introuvable."),
    500: (
        "Erreur inattendue",
        "Le service rencontre un problème ; réessayez plus tard.",
    ),
}


def error_response(
    request, template_name: str, status: int, context: dict | None = None
) -> HttpResponse:
    context = context or {}
    try:
        return render(request, template_name, context, status=status)
    except Exception:
        logger.exception("The %s page failed with the request's context", status)
    try:
        body = loader.render_to_string(template_name, context)
        return HttpResponse(body, status=status)
    except Exception:
        logger.exception("The %s page failed without the request", status)
    title, text = _LAST_RESORT_TEXTS[status]
    return HttpResponse(
        _LAST_RESORT.format(title=title, status=status, text=text), status=status
    )


def bad_request(request, exception):
    # Nothing of the exception is shown: it may name what was suspicious.
    return error_response(request, "400.html", 400)


def permission_denied(request, exception):
    """The refusal's own sentence when there is one (our services and the cockpit
    write them in French for the person), else the template's general one."""
    refusal = str(exception) if exception is not None else ""
    return error_response(request, "403.html", 403, {"exception": refusal})


def page_not_found(request, exception):
    # Http404's message is for developers (e.g. "No Page matches the given query").
    return error_response(request, "404.html", 404)


def server_error(request):
    return error_response(request, "500.html", 500)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent without a valid token (expired page, cookies
    refused). Django already logs the technical reason (django.security.csrf); the
    person gets what to do."""
    return error_response(request, "403_csrf.html", 403)
