"""Background jobs of the people domain (django-q2)."""

import logging

from .services import permissions_sync_all

logger = logging.getLogger("siimop")


def sync_function_permissions() -> int:
    """Daily: functions that start or end today change what people may do."""
    count = permissions_sync_all()
    logger.info("Permissions resynchronised for %s accounts", count)
    return count
