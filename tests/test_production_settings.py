"""Production settings load only with their secrets, harden the session cookie and pass
Django's deployment checks; every environment sends a Content-Security-Policy."""

import base64
import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
    "s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SECURE, s.SAML_DEV_IDP, s.DEBUG]))"
)


def _load(**env):
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "config.settings.prod",
            **env,
        },
    )


def _badge_key() -> str:
    """A made-up badge signing key, in the format production expects (Ed25519, PEM),
    as `openssl genpkey -algorithm ed25519` writes it."""
    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


def test_production_cookies_are_secure_httponly_samesite(tmp_path):
    result = _load(
        DJANGO_SECRET_KEY="x" * 50,
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
        SIIMOP_SAML_SP_KEY_FILE="/etc/siimop/sp.key",
        SIIMOP_SAML_SP_CERT_FILE="/etc/siimop/sp.crt",
        BADGE_SIGNING_KEY=_badge_key(),
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [True, True, "Lax", True, False, False]


def test_production_refuses_to_start_without_its_saml_key_pair(tmp_path):
    result = _load(
        DJANGO_SECRET_KEY="x" * 50, DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3"
    )
    assert result.returncode != 0
    assert "SIIMOP_SAML_SP_KEY_FILE" in result.stderr


def _production_env(tmp_path) -> dict:
    """What production needs, as .ci/run gives it: a throw-away secret and badge
    signing key, a database, the SAML key pair's paths (not read by the checks)."""
    return {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "SIIMOP_SAML_SP_KEY_FILE": "/etc/siimop/sp.key",
        "SIIMOP_SAML_SP_CERT_FILE": "/etc/siimop/sp.crt",
        "SIIMOP_BASE_URL": "https://siimop.example.fr",
        "BADGE_SIGNING_KEY": _badge_key(),
    }


BADGE_PROBE = (
    "import django; django.setup(); from courses.credentials import signing_key; "
    "print(signing_key().as_dict(private=False)['x'])"
)


def test_production_refuses_to_start_without_its_badge_signing_key(tmp_path):
    env = _production_env(tmp_path)
    for value in (None, "", "pas une clé"):
        if value is None:
            env.pop("BADGE_SIGNING_KEY")
        else:
            env["BADGE_SIGNING_KEY"] = value
        result = subprocess.run(
            [sys.executable, "-c", BADGE_PROBE],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env=env,
        )
        assert result.returncode != 0, value
        assert "ImproperlyConfigured: BADGE_SIGNING_KEY" in result.stderr, value
        assert "openssl genpkey -algorithm ed25519" in result.stderr


def test_production_signs_the_badges_with_the_key_it_is_given(tmp_path):
    pem = _badge_key()
    raw = (
        serialization.load_pem_private_key(pem.encode(), password=None)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    published = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    # As written in a PEM file, or on one line with "\n" for its line breaks.
    for value in (pem, pem.replace("\n", "\\n")):
        result = subprocess.run(
            [sys.executable, "-c", BADGE_PROBE],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**_production_env(tmp_path), "BADGE_SIGNING_KEY": value},
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == published


def test_production_passes_the_deployment_checks_without_a_warning(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=_production_env(tmp_path),
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "no issues" in output


def test_production_redirects_to_https_with_hsts_unless_told_otherwise(tmp_path):
    probe = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, s.ALLOWED_HOSTS]))"
    )

    def load(**env):
        result = subprocess.run(
            [sys.executable, "-c", probe],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**_production_env(tmp_path), **env},
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    assert load() == [True, 31536000, True, True, ["siimop.example.fr"]]
    assert load(
        SIIMOP_SSL_REDIRECT="0",
        SIIMOP_HSTS_INCLUDE_SUBDOMAINS="0",
        SIIMOP_HSTS_PRELOAD="0",
        DJANGO_ALLOWED_HOSTS="siimop.fr,www.siimop.fr",
    ) == [False, 31536000, False, False, ["siimop.fr", "www.siimop.fr"]]


def _policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (
            part.split() for part in header.split(";") if part.strip()
        )
    }


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)([^>]*)>", re.I)


def _assert_strict(response) -> None:
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy[directive]
        assert "'unsafe-eval'" not in policy[directive]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"][0] == "'self'"
    # A script the page keeps inline carries the nonce its header allows.
    html = response.content.decode()
    header_nonces = {
        v[len("'nonce-") : -1] for v in policy["script-src"] if v.startswith("'nonce-")
    }
    for attributes in INLINE_SCRIPT.findall(html):
        if re.search(r'type="application/(ld\+)?json"', attributes):
            continue  # data, not run
        nonce = re.search(r'nonce="([^"]+)"', attributes)
        assert nonce and nonce.group(1) in header_nonces, attributes
    for nonce in re.findall(r'<script\b[^>]*\bnonce="([^"]+)"', html):
        assert nonce in header_nonces
    assert not re.search(r"<style\b|\sstyle=\"|\son[a-z]+=\"", html)


@pytest.mark.django_db
def test_the_sign_in_page_runs_no_inline_code(client):
    _assert_strict(client.get("/compte/connexion/"))


@pytest.mark.django_db
def test_a_public_wagtail_page_runs_no_inline_code(client):
    _assert_strict(client.get("/"))


@pytest.mark.django_db
def test_a_cockpit_page_runs_no_inline_code(client, ars):
    _assert_strict(client.get("/cockpit/"))


@pytest.mark.django_db
def test_the_admins_get_their_own_policy_still_refusing_plugins_and_other_framers(
    client,
):
    for path in ("/admin/login/", "/django-admin/login/"):
        policy = _policy(client.get(path))
        assert policy["script-src"] == ["'self'", "'unsafe-inline'"], path
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'self'"]
        assert policy["form-action"][0] == "'self'"


@pytest.mark.django_db
def test_a_page_previewed_in_wagtail_keeps_our_policy_framed_by_the_admin_only():
    from siimop_site.models import HomePage

    response = HomePage.objects.get().make_preview_request()
    policy = _policy(response)
    assert policy["frame-ancestors"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]
