from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import EmailAddress, Function, Person, User


def active_on(day: date) -> Q:
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))


def user_for_email(email: str) -> User | None:
    """The account of the person owning this address (any of hers, not only the primary)."""
    address = (
        EmailAddress.objects.select_related("person__user")
        .filter(email__iexact=email.strip())
        .first()
    )
    return address.person.user if address else None


def active_functions(user, *, day: date | None = None) -> QuerySet[Function]:
    if not user.is_authenticated:
        return Function.objects.none()
    day = day or timezone.localdate()
    return (
        Function.objects.filter(person__user=user)
        .filter(active_on(day))
        .select_related(
            "region", "subdivision", "specialty", "establishment", "training_site"
        )
    )


def person_functions(person: Person) -> QuerySet[Function]:
    return person.functions.select_related(
        "region", "subdivision", "specialty", "establishment", "training_site"
    ).order_by("-start_date")
