import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("DJANGO_SECRET_KEY doit être défini en production.")
if "DATABASE_URL" not in os.environ:
    raise ImproperlyConfigured(
        "DATABASE_URL doit désigner la base PostgreSQL de production."
    )

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# The host it answers to: the platform's public address (SIIMOP_BASE_URL), unless
# DJANGO_ALLOWED_HOSTS lists them (comma-separated).
ALLOWED_HOSTS = ALLOWED_HOSTS or [urlsplit(SIIMOP_BASE_URL).hostname]  # noqa: F405


def _on_unless_off(name: str) -> bool:
    return os.environ.get(name, "1").strip().lower() not in {"0", "false", "no", "off"}


# HTTPS only. The proxy in front (nginx) terminates TLS and must send
# "X-Forwarded-Proto: https"; the environment can relax what follows:
#   SIIMOP_SSL_REDIRECT=0              the proxy already redirects http:// to https://
#   SIIMOP_HSTS_SECONDS=<n>            HSTS lifetime (default one year; 0: no HSTS)
#   SIIMOP_HSTS_INCLUDE_SUBDOMAINS=0   a subdomain of the platform's domain still
#                                      serves plain http
#   SIIMOP_HSTS_PRELOAD=0              the domain is not to be submitted to the
#                                      browsers' preload list (hstspreload.org; the
#                                      flag alone submits nothing)
# No SECURE_REDIRECT_EXEMPT: the platform has no health-check address a probe would
# call over plain http (a probe should send the header, or follow the redirect).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = _on_unless_off("SIIMOP_SSL_REDIRECT")
SECURE_HSTS_SECONDS = int(os.environ.get("SIIMOP_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _on_unless_off("SIIMOP_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = _on_unless_off("SIIMOP_HSTS_PRELOAD")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "anymail.backends.brevo.EmailBackend"
)
ANYMAIL = {
    "BREVO_API_KEY": os.environ.get("BREVO_API_KEY", ""),
    # "user:password" given to Brevo for its tracking webhook (bounces); unset, the
    # webhook is not served.
    "WEBHOOK_SECRET": os.environ.get("ANYMAIL_WEBHOOK_SECRET", ""),
}
SAML_DEV_IDP = False
if not (SAML_SP_KEY_FILE and SAML_SP_CERT_FILE):  # noqa: F405
    raise ImproperlyConfigured(
        "SIIMOP_SAML_SP_KEY_FILE et SIIMOP_SAML_SP_CERT_FILE doivent désigner la paire "
        "de clés du fournisseur de service déclarée à la fédération."
    )


def _badge_key_problem(pem: str) -> str:
    """Why BADGE_SIGNING_KEY cannot sign the badges ("" if it can)."""
    from joserfc.jwk import OKPKey

    if not pem.strip():
        return "n'est pas défini / is not set"
    try:
        key = OKPKey.import_key(pem)
    except Exception:  # noqa: BLE001 - RSA, EC, garbage: one answer for all
        key = None
    if key is None or key.curve_name != "Ed25519" or not key.is_private:
        return (
            "n'est pas une clé privée Ed25519 au format PEM / is not an Ed25519 "
            "private key in PEM format"
        )
    return ""


# The badges' key is never derived from the SECRET_KEY here: rotating the secret must
# not invalidate every credential issued, and the two secrets are kept apart. Keep it
# across deployments; create it once with `openssl genpkey -algorithm ed25519`.
if problem := _badge_key_problem(BADGE_SIGNING_KEY):  # noqa: F405
    raise ImproperlyConfigured(
        f"BADGE_SIGNING_KEY {problem}. La production exige la clé privée Ed25519 (PEM) "
        "qui signe les badges Open Badges 3.0 / Production requires the Ed25519 "
        "private key (PEM) signing the Open Badges 3.0 credentials: "
        "openssl genpkey -algorithm ed25519"
    )
