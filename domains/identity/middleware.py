from django.shortcuts import redirect
from django.urls import reverse

from .second_factor import has_second_factor, totp_required

# Pages a person must reach before her second factor is settled.
OPEN_PREFIXES = ("/static/", "/media/", "/compte/", "/i18n/")


class SecondFactorMiddleware:
    """A signed-in person with a second factor enters her code before anything else;
    a national administrator without one sets it up first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not request.path.startswith(OPEN_PREFIXES):
            if not user.is_verified():
                if has_second_factor(request):
                    return redirect(
                        f"{reverse('identity:totp_verify')}?next={request.path}"
                    )
                if totp_required(user):
                    return redirect(reverse("identity:totp_setup"))
        return self.get_response(request)
