import os

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
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
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

# Ed25519 private key (PEM) signing the Open Badges 3.0 credentials; its public half is
# published at /apprendre/badges/cle.json. Keep it across deployments.
BADGE_SIGNING_KEY = os.environ.get("BADGE_SIGNING_KEY", "")
