"""Plain rows written in one statement, for tables a service rebuilds wholesale from
other data (a subdivision's call lists: ~5,600 places at once). No model instances,
no signals, no history rows: use it only for records that carry none (their parent
keeps the history) and whose values the caller has already checked."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connections, router
from django.db.models import Model


def insert_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence]):
    """INSERT each row (values in the order of `fields`) through one executemany:
    ~10 times faster than `bulk_create` for thousands of small rows."""
    rows = [tuple(row) for row in rows]
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(f).column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
            f"VALUES ({placeholders})",
            rows,
        )
