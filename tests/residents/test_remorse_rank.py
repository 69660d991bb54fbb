"""The droit au remords checks the resident's national rank against the last rank
admitted in the new DES, in her subdivision, for her cohort and her kind of ranking
(issue 20); the registry enters those last ranks in the cockpit.

Léa, a Lyon cardiology resident of the 2023 cohort, ranked 1500 at the ECN, asks to
move to pediatrics.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from domains.residents.models import LastAdmittedRank, SpecialSituation
from domains.residents.services import (
    last_admitted_rank_save,
    situation_decide,
    situation_request,
)
from tests.conftest import login_verified, page_text
from tests.factories.referential import SemesterFactory, specialty, subdivision
from tests.factories.residents import make_resident

pytestmark = pytest.mark.django_db
RANKS = "/cockpit/derniers-rangs-admis/"
REFUSAL = (
    "Droit au remords impossible : le rang 1500 (promotion 2023, rang ECN (jusqu'en "
    "2023)) ne donnait pas accès au DES Pédiatrie dans la subdivision Lyon, où le "
    "dernier rang admis de la promotion est 1200."
)


@pytest.fixture
def lea():
    resident = make_resident(first_name="Léa", last_name="Garnier", cohort=2023)
    resident.national_rank = 1500
    resident.save()
    return resident


def _last_rank(value, *, cohort=2023, kind="ecn", code="LYON", des="DES-PED"):
    return LastAdmittedRank.objects.create(
        specialty=specialty(des),
        subdivision=subdivision(code),
        cohort=cohort,
        ranking_kind=kind,
        last_rank=None if kind == "percentage" else value,
        last_percentage=value if kind == "percentage" else None,
    )


def _ask(resident, des="DES-PED"):
    return situation_request(
        resident=resident,
        kind="remorse",
        target_specialty=specialty(des),
        start_date=date(2026, 11, 1),
        end_date=date(2026, 11, 1),
        by=resident.person.user,
    )


def test_her_rank_worse_than_the_last_admitted_refuses_her_request_on_mon_parcours(
    client, lea
):
    _last_rank(1200)
    client.force_login(lea.person.user)
    response = client.post(
        "/cockpit/mon-parcours/",
        {
            "kind": "remorse",
            "target_specialty": specialty("DES-PED").pk,
            "start_date": "2026-11-01",
            "end_date": "2026-11-01",
            "motive": "Vocation pour la pédiatrie",
        },
    )
    assert REFUSAL in page_text(response)
    assert not SpecialSituation.objects.exists()


def test_a_better_rank_passes_and_the_decider_reads_it_checked(
    client, lea, faculty_registry
):
    _last_rank(1800)
    situation = _ask(lea)
    login_verified(client, faculty_registry)
    page = page_text(client.get(f"/cockpit/situations/{situation.pk}/"))
    assert (
        "Rang vérifié : le rang 1500 donnait accès au DES Pédiatrie dans la "
        "subdivision Lyon (dernier rang admis de la promotion 2023 : 1800)."
    ) in page


@pytest.mark.parametrize(
    "elsewhere",
    [
        {"cohort": 2022},  # another cohort's ranks are not hers
        {"code": "RENNES"},  # another subdivision
        {"des": "DES-DVE"},  # another DES
        {"kind": "specialty_group"},  # another kind of ranking
    ],
    ids=["cohort", "subdivision", "des", "ranking_kind"],
)
def test_without_her_cohorts_last_rank_the_decider_reads_it_cannot_be_checked(
    client, lea, faculty_registry, elsewhere
):
    _last_rank(1200, **elsewhere)
    situation = _ask(lea)  # not refused: nothing to compare with
    login_verified(client, faculty_registry)
    page = page_text(client.get(f"/cockpit/situations/{situation.pk}/"))
    assert (
        "Rang non vérifiable pour l'instant : aucun dernier rang admis n'est "
        "enregistré au DES Pédiatrie dans la subdivision Lyon pour la promotion "
        "2023 (rang ECN (jusqu'en 2023))."
    ) in page


def test_a_last_rank_entered_after_the_request_refuses_the_approval(
    client, lea, faculty_registry
):
    situation = _ask(lea)
    _last_rank(1200)
    SemesterFactory(season="winter", year=2026)
    login_verified(client, faculty_registry)
    response = client.post(
        f"/cockpit/situations/{situation.pk}/decision/decider/",
        {"approve": "1", "comment": ""},
        follow=True,
    )
    assert REFUSAL in page_text(response)
    situation.refresh_from_db()
    assert situation.status == "requested"
    assert lea.enrolments.get(state="active").specialty.code == "DES-MCA"
    # Refusing, with its reason, still goes through.
    situation_decide(
        situation=situation,
        approve=False,
        comment="Rang insuffisant.",
        by=faculty_registry,
    )
    situation.refresh_from_db()
    assert situation.status == "refused"


def test_a_2024_percentage_is_compared_with_the_cohorts_percentage(lea):
    lea.cohort, lea.ranking_kind = 2024, "percentage"
    lea.national_rank, lea.rank_percentage = None, Decimal("12.50")
    lea.save()
    _last_rank(Decimal("10.00"), cohort=2024, kind="percentage")
    with pytest.raises(ValidationError) as refused:
        _ask(lea)
    assert (
        "le rang 12,50 % (promotion 2024, position en pourcentage (2024)) ne "
        "donnait pas accès au DES Pédiatrie dans la subdivision Lyon, où le dernier "
        "rang admis de la promotion est 10,00 %."
    ) in refused.value.messages[0]


def test_without_her_own_rank_the_check_says_so(client, lea, faculty_registry):
    lea.national_rank = None
    lea.save()
    _last_rank(1200)
    situation = _ask(lea)
    login_verified(client, faculty_registry)
    page = page_text(client.get(f"/cockpit/situations/{situation.pk}/"))
    assert "Rang non vérifiable : le classement national de l'interne" in page


# The registry's screen -------------------------------------------------------------


def test_the_registry_enters_a_last_rank_of_its_subdivision(client, faculty_registry):
    login_verified(client, faculty_registry)
    form = page_text(client.get(f"{RANKS}nouveau/"))
    assert "Lyon" in form and "Rennes" not in form
    refused = client.post(
        f"{RANKS}nouveau/",
        {
            "subdivision": subdivision("LYON").pk,
            "specialty": specialty("DES-PED").pk,
            "cohort": 2023,
            "ranking_kind": "ecn",
        },
    )
    assert "Indiquez le dernier rang admis." in page_text(refused)
    client.post(
        f"{RANKS}nouveau/",
        {
            "subdivision": subdivision("LYON").pk,
            "specialty": specialty("DES-PED").pk,
            "cohort": 2023,
            "ranking_kind": "ecn",
            "last_rank": 1200,
        },
    )
    record = LastAdmittedRank.objects.get()
    assert (record.last_rank, record.last_percentage) == (1200, None)
    assert record.history.first().history_user == faculty_registry
    assert "1200" in page_text(client.get(RANKS))
    duplicate = client.post(
        f"{RANKS}nouveau/",
        {
            "subdivision": subdivision("LYON").pk,
            "specialty": specialty("DES-PED").pk,
            "cohort": 2023,
            "ranking_kind": "ecn",
            "last_rank": 900,
        },
    )
    assert "Un dernier rang admis est déjà enregistré" in page_text(duplicate)


def test_a_registry_elsewhere_neither_sees_nor_changes_lyons_last_ranks(
    client, faculty_registry_elsewhere, resident
):
    record = _last_rank(97531)
    login_verified(client, faculty_registry_elsewhere)
    assert "97531" not in page_text(client.get(RANKS))
    for url in (f"{RANKS}{record.pk}/", f"{RANKS}{record.pk}/modifier/"):
        assert client.get(url).status_code in (403, 404)
    with pytest.raises(PermissionDenied):
        last_admitted_rank_save(
            record=record,
            specialty=record.specialty,
            subdivision=record.subdivision,
            cohort=2023,
            ranking_kind="ecn",
            last_rank=5000,
            by=faculty_registry_elsewhere,
        )
    login_verified(client, resident)
    assert client.get(RANKS).status_code == 403
    record.refresh_from_db()
    assert record.last_rank == 97531
