from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import EmailAddress, Function, LegacyIdentifier, Person, User
from .roles import ROLE_PERIMETER, PerimeterKind, Role


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


def person_for_email(email: str) -> Person | None:
    address = (
        EmailAddress.objects.select_related("person")
        .filter(email__iexact=email.strip())
        .first()
    )
    return address.person if address else None


def persons_for_verified_emails(emails) -> QuerySet[Person]:
    """Persons owning one of these addresses, counted only once the person verified it."""
    emails = [e.strip().lower() for e in emails if e and e.strip()]
    if not emails:
        return Person.objects.none()
    owners = EmailAddress.objects.filter(is_verified=True)
    condition = Q()
    for email in emails:
        condition |= Q(email__iexact=email)
    return Person.objects.filter(
        pk__in=owners.filter(condition).values("person_id")
    ).select_related("user")


def persons_for_legacy_id(system: str, value: str) -> QuerySet[Person]:
    return Person.objects.filter(
        pk__in=LegacyIdentifier.objects.filter(
            system=system, value__iexact=value.strip()
        ).values("person_id")
    ).select_related("user")


def active_functions(
    user, *, day: date | None = None, all_functions: bool = False
) -> list[Function]:
    """The functions a user holds today, read once per request.

    In the cockpit a person with several functions works under one at a time: the
    cockpit puts its id on `user.active_function_id`, and reads narrow to it unless
    `all_functions` is asked for.
    """
    if not user.is_authenticated:
        return []
    day = day or timezone.localdate()
    cache = user.__dict__.setdefault("_siimop_functions", {})
    if day not in cache:
        cache[day] = list(
            Function.objects.filter(person__user=user)
            .filter(active_on(day))
            .order_by("start_date", "pk")
            .select_related(
                "region", "subdivision", "specialty", "establishment", "training_site"
            )
        )
    functions = cache[day]
    active_id = getattr(user, "active_function_id", None)
    if active_id and not all_functions:
        return [f for f in functions if f.pk == active_id]
    return functions


def ars_agent_addresses(region) -> set[str]:
    """The primary e-mail addresses of the ARS agents in office today for this region."""
    functions = (
        Function.objects.filter(
            active_on(timezone.localdate()), role=Role.ARS, region=region
        )
        .select_related("person")
        .prefetch_related("person__emails")
    )
    return {f.person.primary_email for f in functions if f.person.primary_email}


def forget_functions(user) -> None:
    """After granting or ending a function, the next read sees it."""
    user.__dict__.pop("_siimop_functions", None)


def person_functions(person: Person) -> QuerySet[Function]:
    return person.functions.select_related(
        "region", "subdivision", "specialty", "establishment", "training_site"
    ).order_by("-start_date")


def _function_perimeter_q(function: Function) -> Q | None:
    """Functions (of anyone) that lie inside this function's perimeter."""
    kind = ROLE_PERIMETER[function.role]
    if kind == PerimeterKind.REGION:
        r = function.region_id
        return (
            Q(region_id=r)
            | Q(subdivision__region_id=r)
            | Q(establishment__region_id=r)
            | Q(training_site__subdivision__region_id=r)
        )
    if kind == PerimeterKind.SUBDIVISION:
        s = function.subdivision_id
        return Q(subdivision_id=s) | Q(training_site__subdivision_id=s)
    if kind == PerimeterKind.SPECIALTY_IN_SUBDIVISION:
        s, x = function.subdivision_id, function.specialty_id
        # Used inside a person_id subquery, where the join's repeats do not matter.
        return Q(subdivision_id=s, specialty_id=x) | Q(
            training_site__subdivision_id=s,
            training_site__accreditations__specialty_id=x,
        )
    if kind == PerimeterKind.ESTABLISHMENT:
        e = function.establishment_id
        return (
            Q(establishment_id=e)
            | Q(establishment__parent_id=e)
            | Q(training_site__establishment_id=e)
            | Q(training_site__establishment__parent_id=e)
        )
    if kind == PerimeterKind.TRAINING_SITE:
        return Q(training_site_id=function.training_site_id)
    return None


def visible_persons(user) -> QuerySet[Person]:
    """Oneself, and whoever holds (or held) a function inside one's perimeter."""
    if not user.is_authenticated:
        return Person.objects.none()
    persons = Person.objects.select_related("user")
    if user.is_superuser:
        return persons
    condition = Q(user=user)
    for function in active_functions(user):
        if ROLE_PERIMETER[function.role] == PerimeterKind.NATIONAL:
            return persons
        inside = _function_perimeter_q(function)
        if inside is not None:
            condition |= Q(pk__in=Function.objects.filter(inside).values("person_id"))
    return persons.filter(condition)


def email_address_for(email: str) -> EmailAddress | None:
    """The address (any of a person's, whatever its case), with its person and account."""
    return (
        EmailAddress.objects.select_related("person__user")
        .filter(email__iexact=(email or "").strip())
        .first()
    )
