"""A region's opening rules: its ARS sets, for one DES or for all its DES, another ratio
than 107 % or « effectif + N » above a threshold; the opening pages (a subdivision's,
the perimeter's, the national view) count the posts needed by the rules of each line's
region and say which formula applies. Another region's ARS reaches none of its rules;
bad figures are refused in French and write nothing."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from domains.choices.models import OpeningRule
from domains.choices.opening_rule import Rule
from domains.choices.selectors import (
    national_coverage,
    opening_coverage,
    opening_rules,
    subdivision_coverage,
)
from domains.choices.services import (
    activity_prefill,
    opening_rule_delete,
    opening_rule_save,
)
from domains.people.permissions import SYSTEM
from domains.people.roles import Role
from domains.referential.models import Post
from tests.choices.test_semester_activity import coming
from tests.conftest import login_verified
from tests.factories.people import make_user_with_role
from tests.factories.referential import phase, region, specialty, subdivision
from tests.factories.residents import accredited_site, make_resident

pytestmark = pytest.mark.django_db
LIST = "/cockpit/regles-ouverture/"
COVERAGE = "/cockpit/ouverture-des-postes/"
MCA, MGE = ("DES-MCA", "socle"), ("DES-MGE", "socle")


def _rule(code: str = "84", des: str | None = None, **figures) -> OpeningRule:
    figures.setdefault("ratio", Decimal("1.07"))
    return opening_rule_save(
        by=SYSTEM,
        region=region(code),
        specialty=specialty(des) if des else None,
        **figures,
    )


@pytest.fixture
def lyon():
    """Lyon (Auvergne-Rhône-Alpes): 3 residents choose in cardiology, 2 in general
    practice (socle), 4 cardiology posts and 3 general practice posts opened."""
    semester = coming()
    for _ in range(3):
        make_resident(start=("winter", 2026))
    for _ in range(2):
        make_resident(start=("winter", 2026), specialty_code="DES-MGE")
    registry = make_user_with_role(Role.FACULTY_REGISTRY, subdivision=subdivision())
    activity_prefill(by=registry, subdivision=subdivision(), semester=semester)
    for code, seats in (("DES-MCA", 4), ("DES-MGE", 3)):
        Post.objects.create(
            semester=semester,
            training_site=accredited_site(code),
            specialty=specialty(code),
            phase=phase("socle"),
            seats=seats,
        )
    return semester


def _needed(lines) -> dict:
    return {c.group: (c.needed, c.met) for c in lines}


def test_without_rules_the_national_107_percent_applies(lyon):
    lines = subdivision_coverage(subdivision(), lyon)
    # ceil(1.07 × 3) = 4, ceil(1.07 × 2) = 3: both met.
    assert _needed(lines) == {MCA: (4, True), MGE: (3, True)}
    assert opening_rules(region()) == ({}, Rule())


def test_the_regions_rules_change_the_posts_needed_where_107_percent_and_plus_n_differ(
    lyon,
):
    _rule(ratio=Decimal("2"))  # every DES of the region without its own
    _rule(des="DES-MCA", threshold=2, extra=5)  # above 2 choosing: choosing + 5
    assert opening_rules(region()) == (
        {"DES-MCA": Rule(Fraction(107, 100), 2, 5)},
        Rule(Fraction(2)),
    )
    lines = subdivision_coverage(subdivision(), lyon)
    # Cardiology: 3 > 2, so 3 + 5 = 8 (107 % would say 4); general practice: the
    # region's 200 %, 2 × 2 = 4 (107 % would say 3).
    assert _needed(lines) == {MCA: (8, False), MGE: (4, False)}
    national = {line.specialty: line for line in national_coverage(lyon)}
    assert national["Médecine cardiovasculaire"].needed == 8
    assert national["Médecine cardiovasculaire"].phases_unmet == 1
    assert national["Médecine générale"].needed == 4


def test_a_rule_of_another_region_does_not_apply(lyon):
    _rule("53", ratio=Decimal("3"))
    _rule("53", des="DES-MCA", threshold=1, extra=30)
    assert _needed(subdivision_coverage(subdivision(), lyon)) == {
        MCA: (4, True),
        MGE: (3, True),
    }
    assert {line.needed for line in national_coverage(lyon)} == {4, 3}


def test_below_the_threshold_the_ratio_still_applies(lyon):
    _rule(des="DES-MCA", ratio=Decimal("1.5"), threshold=3, extra=30)
    # 3 choose, not above 3: ceil(1.5 × 3) = 5, not 3 + 30.
    assert _needed(subdivision_coverage(subdivision(), lyon))[MCA] == (5, False)


def test_the_coverage_page_says_the_formula_each_line_comes_from(client, lyon):
    _rule(ratio=Decimal("1.6"))  # general practice: ceil(1.6 × 2) = 4 > 3 opened
    _rule(des="DES-MCA", threshold=2, extra=5)
    login_verified(client, make_user_with_role(Role.ARS, region=region()))
    page = client.get(COVERAGE).content.decode()
    assert "effectif + 5 (au-delà de 2)" in page  # cardiology
    assert "160 %" in page  # general practice: the region's rule for all its DES
    assert "2 DES et phases sous la règle." in page
    assert f'href="{LIST}"' in page  # where the ARS changes them


def test_over_several_regions_each_keeps_its_rule_then_they_add_up(client, lyon):
    for _ in range(3):
        make_resident(start=("winter", 2026), subdivision_code="RENNES")
    activity_prefill(
        by=make_user_with_role(
            Role.FACULTY_REGISTRY, subdivision=subdivision("RENNES")
        ),
        subdivision=subdivision("RENNES"),
        semester=lyon,
    )
    _rule(des="DES-MCA", threshold=2, extra=5)  # Lyon: 3 + 5 = 8
    _rule("53", des="DES-MCA", ratio=Decimal("1"))  # Rennes: 3
    dgos = make_user_with_role(Role.DGOS)
    mca = next(c for c in opening_coverage(dgos, lyon) if c.group == MCA)
    assert (mca.choosing, mca.needed, mca.rule) == (6, 11, None)
    login_verified(client, dgos)
    assert "selon la région" in client.get(COVERAGE).content.decode()


# The screen ---------------------------------------------------------------------


@pytest.fixture
def rule():
    return _rule(des="DES-MCA", threshold=200, extra=30, comment="Arrêté 2025-12")


def _export(client, fmt="csv") -> str:
    response = client.get(f"{LIST}export/{fmt}/")
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig", "replace")


def test_the_ars_of_the_region_lists_reads_edits_exports_and_deletes_its_rule(
    client, rule
):
    ars = make_user_with_role(Role.ARS, region=region())
    login_verified(client, ars)
    listing = client.get(LIST).content.decode()
    assert "107 %, effectif + 30 au-delà de 200" in listing
    assert "Arrêté 2025-12" in listing
    detail = client.get(rule.get_absolute_url())
    assert detail.status_code == 200 and "Arrêté 2025-12" in detail.content.decode()
    exported = _export(client)
    assert "Médecine cardiovasculaire" in exported and "Arrêté 2025-12" in exported
    response = client.post(
        f"{LIST}{rule.pk}/modifier/",
        {
            "region": region().pk,
            "specialty": specialty("DES-MCA").pk,
            "ratio": "1,05",
            "threshold": "",
            "extra": "",
            "comment": "Sans seuil désormais",
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.ratio, rule.threshold, rule.extra) == (Decimal("1.05"), None, None)
    assert rule.history.first().history_user == ars
    assert client.post(f"{LIST}{rule.pk}/supprimer/").status_code == 302
    assert not OpeningRule.objects.exists()
    assert rule.history.first().history_type == "-"


def test_the_ars_of_another_region_reaches_none_of_it(client, rule):
    other = make_user_with_role(Role.ARS, region=region("53"))
    login_verified(client, other)
    # (The filters still offer every DES and region: the rule itself is absent.)
    listing = client.get(LIST).content.decode()
    assert "Arrêté 2025-12" not in listing and "au-delà de 200" not in listing
    assert "Arrêté 2025-12" not in _export(client)
    for url in (rule.get_absolute_url(), f"{LIST}{rule.pk}/modifier/"):
        assert client.get(url).status_code == 404, url
    edited = client.post(
        f"{LIST}{rule.pk}/modifier/",
        {"region": region().pk, "ratio": "3", "comment": ""},
    )
    assert edited.status_code == 404
    assert client.post(f"{LIST}{rule.pk}/supprimer/").status_code == 404
    rule.refresh_from_db()
    assert rule.ratio == Decimal("1.07")
    # Nor may it create one there: the form offers its own region only, and the
    # service refuses whoever calls it.
    created = client.post(
        f"{LIST}nouveau/", {"region": region().pk, "ratio": "1,2", "comment": ""}
    ).content.decode()
    assert "Sélectionnez un choix valide" in created
    with pytest.raises(PermissionDenied, match="Auvergne-Rhône-Alpes"):
        opening_rule_save(by=other, region=region(), ratio=Decimal("1.2"))
    with pytest.raises(PermissionDenied):
        opening_rule_delete(by=other, rule=rule)
    assert OpeningRule.objects.count() == 1


def test_the_state_reads_every_region_and_the_faculty_does_not_open_the_screen(
    client, rule
):
    login_verified(client, make_user_with_role(Role.DGOS))
    assert "Médecine cardiovasculaire" in client.get(LIST).content.decode()
    assert client.get(rule.get_absolute_url()).status_code == 200
    assert client.get(f"{LIST}{rule.pk}/modifier/").status_code == 403
    assert client.post(f"{LIST}{rule.pk}/supprimer/").status_code == 403
    client.logout()
    login_verified(
        client, make_user_with_role(Role.FACULTY_REGISTRY, subdivision=subdivision())
    )
    assert client.get(LIST).status_code == 403


@pytest.mark.parametrize(
    ("figures", "field", "message"),
    [
        (
            {"ratio": "0,95"},
            "ratio",
            "Le ratio est au moins de 1 (100 %) : les postes ouverts couvrent au "
            "moins les internes qui choisissent (0,95 saisi).",
        ),
        (
            {"ratio": "1,07", "threshold": "200"},
            "extra",
            "Indiquez le supplément de postes au-delà du seuil de 200 internes, ou "
            "effacez le seuil.",
        ),
        (
            {"ratio": "1,07", "extra": "30"},
            "threshold",
            "Indiquez le seuil au-delà duquel l&#x27;effectif + 30 remplace le ratio, "
            "ou effacez le supplément.",
        ),
    ],
)
def test_bad_figures_are_refused_in_french_and_write_nothing(
    client, figures, field, message
):
    login_verified(client, make_user_with_role(Role.ARS, region=region()))
    response = client.post(
        f"{LIST}nouveau/",
        {"region": region().pk, "threshold": "", "extra": "", "comment": "", **figures},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert not OpeningRule.objects.exists()


def test_the_service_refuses_the_same_and_a_second_rule_for_all_des(rule):
    ars = make_user_with_role(Role.ARS, region=region())
    with pytest.raises(ValidationError, match="au moins de 1"):
        opening_rule_save(by=ars, region=region(), ratio=Decimal("0.9"))
    with pytest.raises(ValidationError, match="Indiquez le seuil"):
        opening_rule_save(by=ars, region=region(), ratio=Decimal("1.07"), extra=30)
    with pytest.raises(ValidationError, match="pour ce DES"):
        opening_rule_save(
            by=ars, region=region(), specialty=specialty("DES-MCA"), ratio=Decimal(1)
        )
    opening_rule_save(by=ars, region=region(), ratio=Decimal("1.1"))
    with pytest.raises(ValidationError, match="pour tous ses DES"):
        opening_rule_save(by=ars, region=region(), ratio=Decimal("1.2"))
    assert OpeningRule.objects.count() == 2
