from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from domains.cockpit.views import get_record, get_screen, save_form, screen_url

from .forms import UploadForm
from .selectors import import_scope_of
from .services import import_upload, progress_of


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    screen = get_screen("reprise")
    if not request.actor.can(screen, "add"):
        raise PermissionDenied
    fixed, subdivision = (
        (None, None) if request.actor.is_national else import_scope_of(request.user)
    )
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        fixed_region=fixed,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        run = save_form(
            form,
            lambda: import_upload(
                kind=data["kind"],
                upload=data["file"],
                region=fixed or data.get("region"),
                subdivision=subdivision,
                strict=data["strict"],
                by=request.user,
            ),
        )
        if run is not None:
            messages.success(request, _("Fichier reçu : l'essai est lancé."))
            return redirect(screen_url(screen, "detail", pk=run.pk))
    return render(request, "imports/upload.html", {"form": form, "screen": screen})


@login_required
def progress(request, pk: int):
    run = get_record(request, get_screen("reprise"), pk, "view")
    return JsonResponse(
        {"status": run.status, "label": run.get_status_display(), **progress_of(run)}
    )


@login_required
def download(request, pk: int, which: str):
    run = get_record(request, get_screen("reprise"), pk, "view")
    stored = {"fichier": run.file, "rapport": run.report}.get(which)
    if not stored:
        raise Http404
    name = run.filename if which == "fichier" else stored.name.rsplit("/", 1)[-1]
    return FileResponse(stored.open("rb"), as_attachment=True, filename=name)
