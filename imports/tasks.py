"""django-q2 entry points: take an id, load, call the service."""

from .models import ImportRun
from .services import import_check, import_commit


def check(run_id: int) -> None:
    import_check(run=ImportRun.objects.get(pk=run_id))


def commit(run_id: int) -> None:
    import_commit(run=ImportRun.objects.get(pk=run_id))
