import posixpath

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.urls import include, path, re_path
from django.utils.translation import gettext as _
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from domains.accreditation.views import accredited_sites
from domains.residents.views import verify_document
from siimop_site.views import search as site_search
from siimop_site.views import unsubscribe_view

# Every settings module shares this URLconf, so every one gives people the French DSFR
# error pages (with DEBUG on, Django shows its debug pages for 404 and 500 instead).
handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"

admin.site.site_header = "SIIMOP — administration technique"
admin.site.site_title = "SIIMOP"


def _to_sign_in(default_next: str):
    """The admins' own sign-in forms would bypass the sign-in policy (throttling,
    sign-in log, second factor): they send to ours, keeping where the person was going."""

    def view(request):
        if request.user.is_authenticated:
            # Signed in but not allowed there: sending her to sign in again would loop.
            messages.error(
                request, _("Votre fonction ne donne pas accès à cette page.")
            )
            return redirect("cockpit:home")
        return redirect_to_login(request.GET.get("next") or default_next)

    return view


def _to_password_reset(request, rest=""):
    return redirect("identity:password_reset")


def _public_media(request, path: str):
    """Uploads are private (CVs, accreditation pieces, justifications, imports, support
    attachments): each is served only by the view that checks who asks. Only the public
    site's images are fetched by address, here in every settings module (nginx may
    serve the same folders in front); Wagtail documents go through Wagtail's own view.
    The path is normalised first: `images/../accreditation/…` is not an image."""
    path = posixpath.normpath(path).lstrip("/")
    if path.partition("/")[0] not in settings.PUBLIC_MEDIA_FOLDERS:
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    path("admin/login/", _to_sign_in("/admin/")),
    re_path(r"^admin/password_reset/(?P<rest>.*)$", _to_password_reset),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/login/", _to_sign_in("/django-admin/")),
    path("_util/login/", _to_sign_in("/")),  # Wagtail's private pages
    re_path(r"^django-admin/password_change/(?P<rest>.*)$", _to_password_reset),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("compte/", include("domains.identity.urls")),
    path("cockpit/", include("domains.cockpit.urls")),
    path("assistance/", include("assistance.urls")),
    path("assistance/liens/", include("assistance.helpdesk_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("verifier/<str:code>/", verify_document, name="verify_document"),
    path("recherche/", site_search, name="site_search"),
    path("terrains-agrees/", accredited_sites, name="accredited_sites"),
    path("apprendre/", include("courses.urls")),
    path("listes/desabonnement/<str:token>/", unsubscribe_view, name="unsubscribe"),
]
if settings.ANYMAIL.get("WEBHOOK_SECRET"):
    # The ESP's tracking webhook (bounces into the delivery logs), behind basic auth.
    urlpatterns += [path("anymail/", include("anymail.urls"))]
if settings.SAML_DEV_IDP:
    urlpatterns += [path("dev-idp/", include(("domains.identity.dev_idp", "dev_idp")))]
urlpatterns += [
    re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.+)$", _public_media)
]
# Wagtail serves every remaining path from its page tree: keep it last.
urlpatterns += [path("", include(wagtail_urls))]
