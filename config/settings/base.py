"""Settings shared by every environment; secrets and the database come from the environment."""

import os
import warnings
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    # Ours first so our templates override third-party ones.
    "domains.people",
    "domains.referential",
    "domains.identity",
    "domains.residents",
    "domains.matching",
    "domains.accreditation",
    "domains.choices",
    "domains.cockpit",
    "domains.demo",
    "imports",
    "assistance",
    "siimop_site",
    "courses",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Third parties
    "dsfr",
    "widget_tweaks",
    "django_tables2",
    "django_filters",
    "guardian",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "simple_history",
    "django_q",
    "anymail",
    "helpdesk",  # django-helpdesk, the installed package (UNESS Assistance builds on it)
    "rest_framework",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",  # django-helpdesk needs it
]
SITE_ID = 1
# django-helpdesk: no pinax-teams; per-queue staff permissions are enforced by
# UNESS Assistance's own selectors, not left to this setting alone.
HELPDESK_TEAMS_MODE_ENABLED = False
# The national UNESS Assistance mailbox, polled by django-q2 through django-helpdesk
# (replies threaded into their tickets). Off unless ASSISTANCE_MAILBOX_TYPE is set:
# imap, pop3 or local (a directory of .eml files).
ASSISTANCE_MAILBOX = {
    "type": os.environ.get("ASSISTANCE_MAILBOX_TYPE", ""),
    "host": os.environ.get("ASSISTANCE_MAILBOX_HOST", ""),
    "port": int(os.environ.get("ASSISTANCE_MAILBOX_PORT", "0")) or None,
    "ssl": os.environ.get("ASSISTANCE_MAILBOX_SSL", "1") == "1",
    "user": os.environ.get("ASSISTANCE_MAILBOX_USER", ""),
    "password": os.environ.get("ASSISTANCE_MAILBOX_PASSWORD", ""),
    "folder": os.environ.get("ASSISTANCE_MAILBOX_FOLDER", "INBOX"),
    "local_dir": os.environ.get("ASSISTANCE_MAILBOX_DIR", ""),
    "address": os.environ.get("ASSISTANCE_MAILBOX_ADDRESS", ""),
}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.csp.SiimopCSPMiddleware",  # Content-Security-Policy (django-csp)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "domains.cockpit.actor.ActorMiddleware",
    "domains.identity.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Puts request.user on every history record written during the request.
    "simple_history.middleware.HistoryRequestMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates", BASE_DIR / "helpdesk" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site_config",
                "domains.people.context_processors.current_person",
                "domains.cockpit.context_processors.cockpit",
                "csp.context_processors.nonce",
            ],
        },
    },
]
# Our forms inherit dsfr.forms.DsfrBaseForm, which brings its own renderer: the global
# renderer stays Django's so the Wagtail admin keeps its widgets.

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo runs a web server and a q2 worker on one file: wait for locks
    # rather than failing, and use WAL so readers never block the writer.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "domains.identity.backends.EmailPasswordBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "identity:login"
# The reverse proxies (nginx, a load balancer) whose X-Forwarded-For is believed: the
# client address is the right-most hop not in this list (IP addresses or networks,
# comma-separated). Empty: REMOTE_ADDR is the client (no proxy in front).
SIIMOP_TRUSTED_PROXIES = [
    p.strip()
    for p in os.environ.get("SIIMOP_TRUSTED_PROXIES", "").split(",")
    if p.strip()
]
OTP_TOTP_ISSUER = "SIIMOP"
LOGIN_REDIRECT_URL = "cockpit:home"
LOGOUT_REDIRECT_URL = "identity:login"
# Guardian: no anonymous user row, object permissions are only for real people.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = True
# A form refused for its CSRF token gets the French DSFR page (config/errors.py), as the
# 400, 403, 404 and 500 pages do through the handlers of config/urls.py.
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("Anglais"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français"), ("en", "English")]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
# The only uploads anyone may fetch by address: the public site's images (Wagtail).
PUBLIC_MEDIA_FOLDERS = ("original_images", "images")
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

WAGTAIL_SITE_NAME = "SIIMOP"
# The platform's public address: every link in every e-mail, the SAML metadata and
# Wagtail's own notifications are built from it, never from the request's Host header
# or the Sites framework.
SIIMOP_BASE_URL = os.environ.get("SIIMOP_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SIIMOP_BASE_URL
# One sign-in policy: the Wagtail admin signs in, resets and changes passwords through
# /compte/ (throttling, sign-in log, second factor, confirmation), never its own forms.
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False  # addresses: MES INFORMATIONS, confirmed
WAGTAILUSERS_PASSWORD_ENABLED = False  # nobody sets another person's password
WAGTAIL_FRONTEND_LOGIN_URL = "/compte/connexion/"
# No avatars fetched from Gravatar: it would learn which administrator is at work.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# django-helpdesk's own links take their scheme from here (not from SIIMOP_BASE_URL).
HELPDESK_USE_HTTPS_IN_EMAIL_LINK = SIIMOP_BASE_URL.startswith("https://")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Documents always through Wagtail's view, which checks their privacy (with remote
# storage Wagtail would otherwise redirect to the file's own address).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "xlsx", "ods"]

# Ed25519 private key (PEM; "\n" may stand for its line breaks in a one-line
# environment file) signing the Open Badges 3.0 credentials; its public half is
# published at /apprendre/badges/cle.json. Production refuses to start without it
# (prod.py); elsewhere, unset, courses/credentials.py derives one from SECRET_KEY.
BADGE_SIGNING_KEY = os.environ.get("BADGE_SIGNING_KEY", "").replace("\\n", "\n")


# Content-Security-Policy (django-csp), on in every environment so that the browser
# tests see it. Our pages (cockpit, public site, courses, UNESS Assistance) run no
# inline code: scripts and styles are files of ours or DSFR's (static/siimop/ holds
# what used to be inline: confirmations, auto-submits, bars' widths, polling). A
# script or <style> that had to stay inline would carry nonce="{{ request.csp_nonce }}"
# (the nonce is in the header only on a page that uses it; none does today).
def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        # DSFR's stylesheet draws some of its icons as data: SVGs; uploads may be
        # served from their storage's own address (S3 in production).
        "img-src": [SELF, "data:", *filter(None, [_origin(MEDIA_URL)])],
        # Videos in content pages (Wagtail embeds) play in their provider's frame;
        # SIIMOP_CSP_FRAME_SRC adds origins, comma-separated (a PeerTube instance).
        "frame-src": [
            SELF,
            "https://www.youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
            "https://www.dailymotion.com",
            "https://geo.dailymotion.com",
            *filter(None, os.environ.get("SIIMOP_CSP_FRAME_SRC", "").split(",")),
        ],
        "object-src": [NONE],
        "base-uri": [SELF],
        # Our forms post to ourselves only: the SAML sign-in leaves for the identity
        # provider by a link and a redirect (HTTP-Redirect binding), never a form; the
        # IdP's POST back comes from its own page (its policy, not ours), and our relay
        # page (saml_post.html) posts to our ACS. The dev IdP, which stands for another
        # site, posts to the ACS at SIIMOP_BASE_URL: allowed even when the browser
        # reached this server under another name.
        "form-action": [SELF, *filter(None, [_origin(SIIMOP_BASE_URL)])],
        "frame-ancestors": [NONE],
    },
}
# The Wagtail admin and the Django admin are not ours: Wagtail's date widgets and
# inline panels are inline scripts, both admins write style attributes (and Django's
# change list a <style> block), so they get 'unsafe-inline' scripts and styles (no
# nonce: it would switch 'unsafe-inline' off), blob: images (upload previews),
# Wagtail's avatars (Gravatar) and its new-release check, and may frame themselves
# (Wagtail's preview panel). Everything else of the policy still holds there
# (config.csp.SiimopCSPMiddleware applies this replacement; the page previews framed
# by the panel keep our own policy).
SIIMOP_CSP_ADMIN = {
    "PREFIXES": ["/admin/", "/django-admin/"],
    "REPLACE": {
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [*CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"], "blob:"],
        "connect-src": [SELF, "https://releases.wagtail.org"],
        "frame-ancestors": [SELF],
    },
}

# django-q2: the ORM broker needs nothing but the database; Redis is optional.
Q_CLUSTER = {
    "name": "siimop",
    "orm": "default",
    "workers": int(os.environ.get("SIIMOP_Q_WORKERS", "2")),
    "timeout": 1800,
    "retry": 3600,
    "max_attempts": 3,
    "catch_up": False,
    "label": "Tâches de fond",
}

# E-mail through django-anymail in production; console/locmem elsewhere.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get(
    "SIIMOP_FROM_EMAIL", "SIIMOP <ne-pas-repondre@siimop.fr>"
)
# The ESP's tracking webhook (/anymail/brevo/tracking/) answers only with this basic
# auth "user:password"; a development value here, the real one from the environment in
# production (no secret there: no webhook).
ANYMAIL = {
    "WEBHOOK_SECRET": os.environ.get("ANYMAIL_WEBHOOK_SECRET", "siimop:dev-webhook")
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "siimop": {"handlers": ["console"], "level": "INFO", "propagate": False}
    },
}

# SAML service provider (the university "Shibboleth" door). See README, "Fédération".
# The key pair registered with the federation; unset, one is made under SAML_KEY_DIR.
# pysaml2 7.5 still names a cipher mode that cryptography moved; it does not use it.
warnings.filterwarnings("ignore", message="CFB has been moved", module="saml2")
SAML_KEY_DIR = Path(os.environ.get("SIIMOP_SAML_KEY_DIR", BASE_DIR / "var" / "saml"))
SAML_SP_KEY_FILE = os.environ.get("SIIMOP_SAML_SP_KEY_FILE", "")
SAML_SP_CERT_FILE = os.environ.get("SIIMOP_SAML_SP_CERT_FILE", "")
SAML_SP_ENTITY_ID = os.environ.get("SIIMOP_SAML_SP_ENTITY_ID", "")
SAML_XMLSEC_BINARY = os.environ.get("SIIMOP_XMLSEC_BINARY", "")
SAML_CLOCK_SKEW_SECONDS = 60
# The local test identity provider at /dev-idp/ (dev and tests only).
SAML_DEV_IDP = False

# Progress of long jobs (imports), shared by the web and worker processes.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "progress": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get(
            "SIIMOP_PROGRESS_CACHE", str(BASE_DIR / "var" / "progress")
        ),
    },
}
