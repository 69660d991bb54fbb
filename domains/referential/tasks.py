"""Background jobs of the referential (django-q2)."""

import logging

from django.utils import timezone

from domains.people.permissions import SYSTEM

from .services import accreditation_expire_past

logger = logging.getLogger("siimop")


def expire_accreditations() -> int:
    """Daily: accreditations past their end date become expired (the platform acts:
    `SYSTEM`)."""
    count = accreditation_expire_past(today=timezone.localdate(), by=SYSTEM)
    logger.info("%s accreditations expired", count)
    return count
