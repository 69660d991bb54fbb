"""People who hit an error get a French DSFR page (header, footer, what happened, what to
do, the way home and to UNESS Assistance), never Django's bare English pages, in every
settings module; the 500 page renders even when the page's own context fails."""

import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import include, path

from config import urls as site_urls
from tests.conftest import page_text
from tests.test_production_settings import ROOT, _production_env

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("une panne")


def _suspicious(request):
    raise SuspiciousOperation("en-tête falsifié")


def _bare_refusal(request):
    raise PermissionDenied


# This module is the URLconf of the tests marked with it: the site's URLs plus views
# that fail on purpose, with the site's own error handlers.
urlpatterns = [
    path("essai/panne/", _boom),
    path("essai/suspect/", _suspicious),
    path("essai/refus/", _bare_refusal),
    path("", include("config.urls")),
]
handler400, handler403 = site_urls.handler400, site_urls.handler403
handler404, handler500 = site_urls.handler404, site_urls.handler500
failing_views = pytest.mark.urls(__name__)


def _assert_french_error_page(response, status: int, title: str):
    text = page_text(response)
    assert response.status_code == status
    assert '<html lang="fr"' in text
    assert f"<h1>{title}</h1>" in text
    assert f"Erreur {status}" in text
    assert '<a class="fr-btn" href="/">Page d\'accueil</a>' in text
    assert 'href="/assistance/nouvelle/' in text and "UNESS Assistance" in text
    assert 'id="footer"' in text  # the site's DSFR footer
    for english in ("Not Found", "Server Error", "Forbidden", "Bad Request"):
        assert english not in text
    return text


def test_an_unknown_address_answers_404_in_french_with_the_way_home(client_fr):
    response = client_fr.get("/cette-page-n-existe-pas/")
    text = _assert_french_error_page(response, 404, "Page non trouvée")
    assert "La page que vous cherchez est introuvable" in text
    # The request form tells the support team where it happened.
    assert "?depuis=/cette-page-n-existe-pas/" in text


def test_a_cockpit_refusal_answers_403_with_its_french_sentence(client_fr, people):
    client_fr.force_login(people.resident)
    response = client_fr.get("/cockpit/terrains-de-stage/")
    text = _assert_french_error_page(response, 403, "Accès refusé")
    assert "Votre fonction ne permet pas cette action sur ce dossier." in text
    assert "Vous n'avez pas le droit" not in text  # the general sentence gives way
    assert 'href="/cockpit/">Mon espace</a>' in text


@failing_views
def test_a_refusal_without_a_sentence_gets_the_general_french_one(client_fr):
    text = _assert_french_error_page(
        client_fr.get("/essai/refus/"), 403, "Accès refusé"
    )
    assert "Vous n'avez pas le droit d'accéder à cette page" in text


@failing_views
def test_a_failing_view_answers_500_with_the_french_page(client_fr):
    client_fr.raise_request_exception = False
    text = _assert_french_error_page(
        client_fr.get("/essai/panne/"), 500, "Erreur inattendue"
    )
    assert "une panne" not in text  # nothing of the exception leaks


@failing_views
def test_the_500_page_renders_even_when_its_context_fails(client_fr, monkeypatch):
    def broken(request):
        raise RuntimeError("la base ne répond plus")

    monkeypatch.setattr("config.context_processors.dsfr_site_config", broken)
    client_fr.raise_request_exception = False
    _assert_french_error_page(client_fr.get("/essai/panne/"), 500, "Erreur inattendue")


@failing_views
def test_the_500_page_falls_back_to_a_fixed_french_page(client_fr, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("gabarit cassé")

    monkeypatch.setattr("config.errors.render", broken)
    monkeypatch.setattr("config.errors.loader.render_to_string", broken)
    client_fr.raise_request_exception = False
    response = client_fr.get("/essai/panne/")
    assert response.status_code == 500
    text = page_text(response)
    assert '<html lang="fr">' in text and "<h1>Erreur inattendue</h1>" in text
    assert '<a href="/">Page d\'accueil</a>' in text


@failing_views
def test_a_suspicious_request_answers_400_in_french(client_fr):
    text = _assert_french_error_page(
        client_fr.get("/essai/suspect/"), 400, "Requête incorrecte"
    )
    assert "falsifié" not in text


def test_a_request_for_an_unknown_host_answers_400_in_french(client_fr, settings):
    settings.ALLOWED_HOSTS = ["siimop.example.fr"]
    response = client_fr.get("/", HTTP_HOST="pirate.example.com")
    _assert_french_error_page(response, 400, "Requête incorrecte")


def test_a_form_sent_without_its_security_token_gets_the_french_page():
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/compte/connexion/", {"username": "x", "password": "y"})
    text = _assert_french_error_page(response, 403, "Formulaire expiré")
    assert "rechargez-la puis envoyez de nouveau le formulaire" in text
    assert "CSRF" not in text


PROBE = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "from django.urls import get_resolver, get_callable; r = get_resolver(); "
    "views = [r.resolve_error_handler(c) for c in (400, 403, 404, 500)]; "
    "views.append(get_callable(s.CSRF_FAILURE_VIEW)); "
    "print(json.dumps([f'{v.__module__}.{v.__name__}' for v in views]))"
)


@pytest.mark.parametrize("module", ["base", "dev", "test", "prod"])
def test_every_settings_module_uses_the_french_error_pages(module, tmp_path):
    env = {
        **_production_env(tmp_path),
        "DJANGO_SETTINGS_MODULE": f"config.settings.{module}",
    }
    if module == "base":
        env["DJANGO_SECRET_KEY"] = "x" * 50
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": os.fspath(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "config.errors.bad_request",
        "config.errors.permission_denied",
        "config.errors.page_not_found",
        "config.errors.server_error",
        "config.errors.csrf_failure",
    ]
