import atexit
import os
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Fast hashing: the suite creates many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
Q_CLUSTER = {**Q_CLUSTER, "sync": True}  # noqa: F405
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
MIDDLEWARE = [m for m in MIDDLEWARE if "whitenoise" not in m]  # noqa: F405
# django-otp's own per-device back-off (1 s, 2 s, 4 s… after a wrong code) would make
# tests wait; our sign-in log throttling is tested instead.
OTP_TOTP_THROTTLE_FACTOR = 0
SAML_DEV_IDP = True
SAML_KEY_DIR = BASE_DIR / "var" / "saml-test"  # noqa: F405
SIIMOP_BASE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"
# One progress cache per test worker: each has its own database and record ids.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
CACHES = {
    **CACHES,  # noqa: F405
    "progress": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(BASE_DIR / "var" / f"progress-test-{_WORKER}"),  # noqa: F405
    },
}
# A test run's uploads go to a folder of its own, removed at exit (never media/).
if not os.environ.get("DJANGO_MEDIA_ROOT"):
    MEDIA_ROOT = Path(tempfile.mkdtemp(prefix=f"siimop-test-media-{_WORKER}-"))
    atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
