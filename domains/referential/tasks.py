"""Background jobs of the referential (django-q2)."""

import logging

from django.utils import timezone

from .services import accreditation_expire_past

logger = logging.getLogger("siimop")


def expire_accreditations() -> int:
    """Daily: accreditations past their end date become expired."""
    count = accreditation_expire_past(today=timezone.localdate())
    logger.info("%s accreditations expired", count)
    return count
