"""Fresh confirmation before sensitive account changes ("sudo mode").

Changing sign-in methods or e-mail addresses, linking a university identity or closing
sessions needs a sign-in, a second-factor code or a password typed within the last 10
minutes: a session left open, or stolen, cannot take the account over. Shared machinery:
identity serves the confirmation page, any domain guards its views with it.
"""

import functools
import time
from urllib.parse import urlencode, urlsplit

from django.shortcuts import redirect
from django.urls import reverse

FRESH_FOR_SECONDS = 10 * 60
SESSION_KEY = "siimop_confirmed_at"


def confirmed_now(request) -> None:
    request.session[SESSION_KEY] = int(time.time())


def recently_confirmed(request) -> bool:
    at = request.session.get(SESSION_KEY)
    return isinstance(at, int) and time.time() - at < FRESH_FOR_SECONDS


def confirmation_first(request):
    """The confirmation page (identity's `/compte/confirmer/`), coming back here after.

    A refused POST is not replayed: the person comes back to the page she acted from
    and acts again."""
    back = request.get_full_path() if request.method == "GET" else ""
    if not back:
        referer = urlsplit(request.META.get("HTTP_REFERER", ""))
        if referer.netloc == request.get_host():
            back = referer.path
    url = reverse("identity:confirm")
    return redirect(f"{url}?{urlencode({'next': back})}" if back else url)


def requires_recent_confirmation(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not recently_confirmed(request):
            return confirmation_first(request)
        return view(request, *args, **kwargs)

    return wrapper
