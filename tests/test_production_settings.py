"""Production settings load only with their secrets, and harden the session cookie."""

import json
import os
import subprocess
import sys
from pathlib import Path

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


def test_production_cookies_are_secure_httponly_samesite(tmp_path):
    result = _load(
        DJANGO_SECRET_KEY="x" * 50,
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
        SIIMOP_SAML_SP_KEY_FILE="/etc/siimop/sp.key",
        SIIMOP_SAML_SP_CERT_FILE="/etc/siimop/sp.crt",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [True, True, "Lax", True, False, False]


def test_production_refuses_to_start_without_its_saml_key_pair(tmp_path):
    result = _load(
        DJANGO_SECRET_KEY="x" * 50, DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3"
    )
    assert result.returncode != 0
    assert "SIIMOP_SAML_SP_KEY_FILE" in result.stderr
