"""Time-based one-time passwords (django-otp): optional for all, required for national
administrators (UNESS admin, DGOS)."""

import base64
import io

import qrcode
import qrcode.image.svg
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from domains.people.roles import Role
from domains.people.selectors import active_functions

ROLES_REQUIRING_TOTP = frozenset({Role.UNESS_ADMIN, Role.DGOS})


def totp_required(user) -> bool:
    return any(
        f.role in ROLES_REQUIRING_TOTP
        for f in active_functions(user, all_functions=True)
    )


def totp_enabled(user) -> bool:
    return user_has_device(user, confirmed=True)


def pending_device(user) -> TOTPDevice:
    """The device being set up (created unconfirmed, confirmed by a first good code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(
        user=user, name="Application", confirmed=False
    )


def secret_of(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


def qr_svg(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


SESSION_FLAG = "siimop_totp_enabled"


def has_second_factor(request) -> bool:
    """Whether the signed-in person has a confirmed device, remembered in her session
    (set at sign-in and when she turns it on) so pages run no extra query."""
    if SESSION_FLAG not in request.session:
        request.session[SESSION_FLAG] = totp_enabled(request.user)
    return request.session[SESSION_FLAG]
