"""Fresh confirmation before sensitive account changes ("sudo mode").

Changing sign-in methods, linking a university identity or closing sessions needs a
sign-in, a second-factor code or a password typed within the last 10 minutes: a session
left open, or stolen, cannot take the account over.
"""

import functools
import time

from django.shortcuts import redirect
from django.urls import reverse

FRESH_FOR_SECONDS = 10 * 60
SESSION_KEY = "siimop_confirmed_at"


def confirmed_now(request) -> None:
    request.session[SESSION_KEY] = int(time.time())


def recently_confirmed(request) -> bool:
    at = request.session.get(SESSION_KEY)
    return isinstance(at, int) and time.time() - at < FRESH_FOR_SECONDS


def requires_recent_confirmation(view):
    """Sends to the confirmation page first; a refused POST is not replayed: the person
    comes back to the page she acted from (or `next`) and acts again."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not recently_confirmed(request):
            back = request.get_full_path() if request.method == "GET" else ""
            url = reverse("identity:confirm")
            return redirect(f"{url}?next={back}" if back else url)
        return view(request, *args, **kwargs)

    return wrapper
