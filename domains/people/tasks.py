"""Background jobs of the people domain (django-q2)."""

import logging

from domains.cockpit import mailer
from domains.cockpit.links import absolute_url

from .models import EmailAddress
from .permissions import SYSTEM
from .services import email_verification_token, permissions_sync_all

logger = logging.getLogger("siimop")


def sync_function_permissions() -> int:
    """Daily: functions that start or end today change what people may do (the
    platform acts: `SYSTEM`)."""
    count = permissions_sync_all(by=SYSTEM)
    logger.info("Permissions resynchronised for %s accounts", count)
    return count


def send_email_verification(address_id: int) -> None:
    """E-mail the link that proves an address belongs to the person."""
    address = (
        EmailAddress.objects.select_related("person").filter(pk=address_id).first()
    )
    if address is None or address.is_verified:
        return
    link = absolute_url("cockpit:email_verify", email_verification_token(address))
    mailer.send(
        to=address.email,
        template="people/email_verification",
        context={"person": address.person, "address": address, "link": link},
    )
