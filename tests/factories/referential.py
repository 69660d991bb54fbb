"""Referential records for tests, with valid identifiers and consistent links."""

import itertools
from datetime import date

import factory
from stdnum.luhn import calc_check_digit

from domains.referential.models import (
    Accreditation,
    AccreditationState,
    Establishment,
    EstablishmentKind,
    Phase,
    Post,
    Region,
    Semester,
    Specialty,
    Subdivision,
    TrainingSite,
    data_quality_for,
)
from domains.referential.validators import finess_check_digit

_counter = itertools.count(1)


def valid_finess(department: str = "69") -> str:
    body = f"{department}{next(_counter):06d}"
    return body + finess_check_digit(body)


def valid_siret() -> str:
    siren = f"{next(_counter):08d}"
    siren += calc_check_digit(siren)
    nic = "0001"
    return siren + nic + calc_check_digit(siren + nic)


def region(code: str = "84") -> Region:
    return Region.objects.get(code=code)


def subdivision(code: str = "LYON") -> Subdivision:
    return Subdivision.objects.get(code=code)


def specialty(code: str = "DES-MCA") -> Specialty:
    return Specialty.objects.get(code=code)


def phase(code: str = "socle") -> Phase:
    return Phase.objects.get(code=code)


def _semester_dates(season: str, year: int) -> tuple[date, date]:
    if season == "winter":
        return date(year, 11, 1), date(year + 1, 4, 30)
    return date(year, 5, 1), date(year, 10, 31)


class SemesterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Semester
        django_get_or_create = ("season", "year")

    season = "winter"
    year = 2026
    start_date = factory.LazyAttribute(lambda o: _semester_dates(o.season, o.year)[0])
    end_date = factory.LazyAttribute(lambda o: _semester_dates(o.season, o.year)[1])


def current_semester() -> Semester:
    """The semester running today, whenever the suite runs."""
    today = date.today()
    if today.month >= 11:
        return SemesterFactory(season="winter", year=today.year)
    if today.month <= 4:
        return SemesterFactory(season="winter", year=today.year - 1)
    return SemesterFactory(season="summer", year=today.year)


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment

    name = factory.Sequence(lambda n: f"Centre hospitalier n°{n}")
    kind = EstablishmentKind.SITE
    finess = factory.LazyFunction(valid_finess)
    region = factory.LazyFunction(region)
    city = "Lyon"
    data_quality = factory.LazyAttribute(lambda o: data_quality_for(o.finess, o.siret))
    siret = ""


class TrainingSiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSite

    establishment = factory.SubFactory(EstablishmentFactory)
    subdivision = factory.LazyFunction(subdivision)
    name = factory.Sequence(lambda n: f"Service de cardiologie n°{n}")
    department = "Cardiologie"


class AccreditationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Accreditation
        skip_postgeneration_save = True

    training_site = factory.SubFactory(TrainingSiteFactory)
    specialty = factory.LazyFunction(specialty)
    start_date = date(2024, 11, 1)
    end_date = date(2029, 10, 31)
    state = AccreditationState.GRANTED

    @factory.post_generation
    def phases(self, create, extracted, **kwargs):
        self.phases.set(extracted if extracted is not None else [phase("socle")])


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    semester = factory.SubFactory(SemesterFactory)
    training_site = factory.SubFactory(TrainingSiteFactory)
    specialty = factory.LazyFunction(specialty)
    phase = factory.LazyFunction(phase)
    seats = 1
