from django.shortcuts import redirect
from django.urls import reverse

from .second_factor import has_second_factor, totp_required

# Reachable whatever the state of the second factor: assets and the language switch.
OPEN_PREFIXES = ("/static/", "/i18n/")


class SecondFactorMiddleware:
    """A signed-in person with a second factor enters her code before anything else;
    a national administrator without one sets it up first.

    Until then the session reaches only that page and sign-out: not her account pages
    (sign-in methods, sessions, identities), which a stolen password alone must not
    change.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            logout = reverse("identity:logout")
            if has_second_factor(request):
                verify = reverse("identity:totp_verify")
                if request.path not in (verify, logout):
                    return redirect(f"{verify}?next={request.path}")
            elif totp_required(user):
                setup = reverse("identity:totp_setup")
                # Setting it up asks a fresh confirmation once the sign-in is old.
                if request.path not in (setup, reverse("identity:confirm"), logout):
                    return redirect(setup)
        return self.get_response(request)
