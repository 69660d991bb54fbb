"""Choice sessions, before the amphi: the ARS opens the wishes of a published call
list, each resident ranks the posts opened for her DES and phase and sees the
simulation recomputed at once — her simulated post and, for each wish she prefers,
the ranks (never the names) of those who take it — the ARS sees the whole
simulation, the posts nobody wants and the residents without a post. Another
region's ARS and another resident reach none of it."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from domains.choices import amphi
from domains.choices.models import (
    ActivityLine,
    CallList,
    ChoiceSession,
    OpeningStatus,
    PostOpening,
    SessionStatus,
    WishList,
)
from domains.choices.services import (
    activity_prefill,
    activity_validate,
    call_list_freeze,
    call_list_publish,
    call_lists_compute,
)
from domains.choices.session_selectors import instance
from domains.choices.session_services import (
    choice_session_move,
    choice_session_open,
    wishes_save,
)
from domains.people.roles import Role
from domains.referential.services import post_open
from tests.choices.test_call_lists import ranked
from tests.choices.test_semester_activity import coming
from tests.conftest import login_verified, page_text
from tests.factories.people import make_user_with_role
from tests.factories.referential import phase, region, specialty, subdivision
from tests.factories.residents import accredited_site

pytestmark = pytest.mark.django_db
SESSIONS = "/cockpit/amphis/"
MINE = "/cockpit/mes-voeux/"


def build_world(*, residents: dict, registry, ars) -> dict:
    """Lyon's DES-MCA socle call list of `residents`, frozen for the choice; two posts
    opened and published (HEH: 1 seat, Lyon Sud: 2)."""
    semester = coming()
    lyon = subdivision("LYON")
    activity_prefill(by=registry, subdivision=lyon, semester=semester)
    activity_validate(by=registry, lines=list(ActivityLine.objects.all()))
    posts = {}
    for name, seats in (("Cardiologie HEH", 1), ("Cardiologie Lyon Sud", 2)):
        posts[name] = post_open(
            semester=semester,
            training_site=accredited_site(name=name),
            specialty=specialty("DES-MCA"),
            phase=phase("socle"),
            seats=seats,
            by=ars,
        )
    call_lists_compute(by=ars, subdivision=lyon, semester=semester)
    call_list = CallList.objects.get()
    call_list_publish(by=ars, call_list=call_list)
    call_list_freeze(by=ars, call_list=call_list)  # the order is final
    PostOpening.objects.create(
        semester=semester,
        subdivision=lyon,
        status=OpeningStatus.PUBLISHED,
        decree_reference="ARS-2026-117",
        signed_at=timezone.now(),
        published_at=timezone.now(),
    )
    return {
        "semester": semester,
        "ars": ars,
        "call_list": call_list,
        "heh": str(posts["Cardiologie HEH"].pk),
        "sud": str(posts["Cardiologie Lyon Sud"].pk),
        **residents,
    }


@pytest.fixture
def world():
    # Call-list order: Ada (rank 10), Bea (20), Cy (30).
    return build_world(
        residents={
            "ada": ranked("Ada", "Alpha", 10),
            "bea": ranked("Bea", "Beta", 20),
            "cy": ranked("Cy", "Gamma", 30),
        },
        registry=make_user_with_role(Role.FACULTY_REGISTRY, subdivision=subdivision()),
        ars=make_user_with_role(Role.ARS, region=region("84")),
    )


def _open(world, **kwargs) -> ChoiceSession:
    return choice_session_open(
        by=world["ars"],
        call_list=world["call_list"],
        wishes_until=kwargs.get("until", timezone.now() + timedelta(days=7)),
    )


def _wish(world, who, posts, session=None):
    session = session or ChoiceSession.objects.get()
    return wishes_save(by=world[who].person.user, session=session, posts=posts)


def _export(client) -> str:
    response = client.get(f"{SESSIONS}export/csv/")
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_the_ars_opens_the_wishes_and_each_resident_is_told(
    client, world, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    login_verified(client, world["ars"])
    page = page_text(client.get(world["call_list"].get_absolute_url()))
    assert "Ouvrir la saisie des vœux" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{world['call_list'].get_absolute_url()}decision/ouvrir-amphi/",
            {"wishes_until": "2027-03-01T18:00"},
            follow=True,
        )
    assert "saisie des vœux ouverte" in page_text(response)
    session = ChoiceSession.objects.get()
    assert session.status == SessionStatus.WISHES
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        world[w].person.primary_email for w in ("ada", "bea", "cy")
    )
    assert "classez vos vœux avant le 1 mars 2027 à 18:00" in mail.outbox[0].subject
    assert "/cockpit/mes-voeux/" in mail.outbox[0].body


def test_opening_refuses_a_draft_list_a_past_deadline_or_unpublished_posts(world):
    with pytest.raises(ValidationError, match="à venir"):
        _open(world, until=timezone.now() - timedelta(hours=1))
    PostOpening.objects.update(status=OpeningStatus.SIGNED)
    with pytest.raises(ValidationError, match="ne sont pas encore publiés"):
        _open(world)
    PostOpening.objects.update(status=OpeningStatus.PUBLISHED)
    # A list still open to contests could go back to preparation under the amphi.
    CallList.objects.update(status="published")
    with pytest.raises(ValidationError, match="Arrêtez la liste d'appel pour le choix"):
        _open(world)
    assert not ChoiceSession.objects.exists()


def test_the_simulation_follows_every_wish_and_explains_by_ranks(client, world):
    _open(world)
    _wish(world, "bea", [world["heh"], world["sud"]])
    # Bea alone: she would get her first wish.
    assert ChoiceSession.objects.get().simulation["assignments"] == {
        str(world["bea"].pk): world["heh"]
    }
    _wish(world, "ada", [world["heh"]])  # rank 1 takes HEH's only seat
    _wish(world, "cy", [world["heh"], world["sud"]])
    session = ChoiceSession.objects.get()
    assert session.simulation["assignments"] == {
        str(world["ada"].pk): world["heh"],
        str(world["bea"].pk): world["sud"],
        str(world["cy"].pk): world["sud"],
    }
    posts, residents, _people = instance(session)
    assert amphi.violations(posts, residents, amphi.Result(**session.simulation)) == []
    login_verified(client, world["bea"].person.user)
    page = page_text(client.get(MINE))
    assert "Votre rang d'appel : 2." in page
    assert "Vous obtiendriez « Cardiologie Lyon Sud" in page
    assert "Pris avant votre tour par l'interne de rang 1 (1 place)" in page
    assert "1 interne mieux classée le demande en premier" in page
    # Her page never names who takes it.
    assert "Ada" not in page and "ALPHA" not in page


def test_a_resident_ranks_her_wishes_from_her_page(client, world):
    _open(world)
    login_verified(client, world["cy"].person.user)
    client.post(f"{MINE}ajouter/", {"post": world["sud"]})
    client.post(f"{MINE}ajouter/", {"post": world["heh"]})
    response = client.post(f"{MINE}{world['heh']}/monter/", follow=True)
    assert "Vœu remonté d'un cran." in page_text(response)
    assert WishList.objects.get(resident=world["cy"]).posts == [
        world["heh"],
        world["sud"],
    ]
    assert "Classer mes vœux (jusqu'au" in page_text(
        client.get("/cockpit/mon-semestre-prochain/")
    )
    home = page_text(client.get("/cockpit/"))
    assert "Mes vœux pour l'amphi" in home
    assert "postes classés, modifiables jusqu'au" in home
    client.post(f"{MINE}{world['sud']}/retirer/")
    assert WishList.objects.get(resident=world["cy"]).posts == [world["heh"]]
    # Each change is in the wishes' history, by her.
    history = WishList.history.filter(resident=world["cy"])
    assert history.count() == 4
    assert {h.history_user for h in history} == {world["cy"].person.user}


def test_bad_wishes_are_refused_with_their_number(world):
    _open(world)
    with pytest.raises(ValidationError, match="Vœu n° 2 : « Cardiologie HEH"):
        _wish(world, "ada", [world["heh"], world["heh"]])
    with pytest.raises(ValidationError, match="Vœu n° 1 : ce poste n'est pas offert"):
        _wish(world, "ada", ["999999"])
    from domains.referential.models import Post

    Post.objects.filter(pk=world["sud"]).update(cesp_reserved=True)
    with pytest.raises(ValidationError, match="Vœu n° 1 : .* réservé aux signataires"):
        _wish(world, "ada", [world["sud"]])
    assert not WishList.objects.exists()


def test_wishes_close_at_their_deadline_and_when_the_ars_closes_them(world):
    session = _open(world, until=timezone.now() + timedelta(hours=2))
    with (
        time_machine.travel(timezone.now() + timedelta(hours=3)),
        pytest.raises(ValidationError, match="La saisie des vœux s'est close le"),
    ):
        _wish(world, "ada", [world["heh"]])
    choice_session_move(
        by=world["ars"], session=session, to=SessionStatus.WISHES_CLOSED
    )
    with pytest.raises(ValidationError, match="close pour cet amphi"):
        _wish(world, "ada", [world["heh"]])
    with pytest.raises(ValidationError, match="ne passe pas"):
        choice_session_move(
            by=world["ars"], session=session, to=SessionStatus.WISHES_CLOSED
        )


def test_the_ars_sees_the_whole_simulation_and_what_nobody_wants(client, world):
    session = _open(world)
    _wish(world, "ada", [world["heh"]])
    _wish(world, "bea", [world["heh"]])
    login_verified(client, world["ars"])
    page = page_text(client.get(session.get_absolute_url()))
    assert "Ada ALPHA" in page and "Cardiologie HEH" in page
    assert "2 internes sans poste dans la simulation" in page
    assert "rang 2 — Bea BETA (1 vœu, déjà pris)" in page
    assert "rang 3 — Cy GAMMA (aucun vœu saisi)" in page
    assert "1 poste que personne ne demande" in page
    assert "Cardiologie Lyon Sud" in page
    assert "1 sans aucun vœu" in page


def test_another_region_and_another_resident_reach_none_of_it(client, world):
    session = _open(world)
    other_ars = make_user_with_role(Role.ARS, region=region("11"))
    login_verified(client, other_ars)
    assert client.get(session.get_absolute_url()).status_code == 404
    assert session.call_list.who not in page_text(client.get(SESSIONS))
    response = client.post(f"{session.get_absolute_url()}decision/clore-voeux/")
    assert ChoiceSession.objects.get().status == SessionStatus.WISHES
    assert response.status_code in (403, 404)
    assert session.call_list.who not in _export(client)
    with pytest.raises(PermissionDenied):
        choice_session_move(
            by=other_ars, session=session, to=SessionStatus.WISHES_CLOSED
        )
    # A resident of another list has no amphi, and cannot wish in this one.
    outsider = ranked("Omar", "Outside", 40)
    ActivityLine.objects.filter(resident=outsider).delete()
    with pytest.raises(PermissionDenied, match="ne choisissez pas dans cet amphi"):
        wishes_save(by=outsider.person.user, session=session, posts=[world["heh"]])
    client.logout()
    login_verified(client, outsider.person.user)
    assert "Aucun amphi de choix n'est ouvert pour vous" in page_text(client.get(MINE))
    refused = client.post(f"{MINE}ajouter/", {"post": world["heh"]}, follow=True)
    assert "Aucun amphi de choix n'est ouvert pour vous ce semestre." in page_text(
        refused
    )
    assert not WishList.objects.filter(resident=outsider).exists()
    # The ARS of the region reads and exports it.
    client.logout()
    login_verified(client, world["ars"])
    assert session.call_list.who in _export(client)


def test_her_forecast_counts_those_above_her_and_the_pre_choice_demand(client, world):
    session = _open(world)
    _wish(world, "ada", [world["heh"]])  # rank 1 takes HEH's only seat
    _wish(world, "cy", [world["heh"], world["sud"]])
    login_verified(client, world["cy"].person.user)
    page = page_text(client.get(MINE))
    assert "Estimer mes chances" in page
    response = client.post(f"{MINE}estimer/", follow=True)
    assert "Estimation recalculée sur 1 000 tirages." in page_text(response)
    wish_list = WishList.objects.get(session=session, resident=world["cy"])
    chances = {post: (free, gets) for post, free, gets in wish_list.forecast}
    # HEH is gone with Ada in every draw; Bea (no wishes) may take a Lyon Sud seat,
    # never both: Cy still gets Lyon Sud.
    assert chances[world["heh"]] == (0.0, 0.0)
    assert chances[world["sud"]] == (1.0, 1.0)
    page = page_text(client.get(MINE))
    assert "0 % / 0 %" in page and "100 % / 100 %" in page
    # Another ranking makes the estimate stale: the page asks for a new one.
    client.post(f"{MINE}{world['sud']}/monter/")
    assert "Dernière estimation" not in page_text(client.get(MINE))


def test_a_resident_makes_her_pre_choice_and_the_ars_sees_the_demand(client, world):
    PostOpening.objects.all().delete()  # before the posts are published
    login_verified(client, world["bea"].person.user)
    page = page_text(client.get("/cockpit/mon-pre-choix/"))
    assert "Cardiologie HEH" in page and "Cardiologie Lyon Sud" in page
    from domains.referential.models import Accreditation

    heh = Accreditation.objects.get(training_site__name="Cardiologie HEH")
    sud = Accreditation.objects.get(training_site__name="Cardiologie Lyon Sud")
    client.post("/cockpit/mon-pre-choix/ajouter/", {"accreditation": sud.pk})
    client.post("/cockpit/mon-pre-choix/ajouter/", {"accreditation": heh.pk})
    client.post(f"/cockpit/mon-pre-choix/{heh.pk}/monter/")
    from domains.choices.models import PreChoice

    assert PreChoice.objects.get(resident=world["bea"]).accreditations == [
        heh.pk,
        sud.pk,
    ]
    client.logout()
    login_verified(client, world["ars"])
    lyon = subdivision("LYON").pk
    page = page_text(
        client.get(f"/cockpit/ouverture-des-postes/pre-choix/?subdivision={lyon}")
    )
    assert "Médecine cardiovasculaire — Phase socle" in page
    assert "Bea BETA" not in page and "Beta" not in page
    rows = re.findall(r"<tr><td>([^(<]+?) \(.*?</td><td>(\d)</td>", page)
    assert rows[:2] == [("Cardiologie HEH", "1"), ("Cardiologie Lyon Sud", "0")]
    # Once the posts are published, the pre-choice is closed.
    PostOpening.objects.create(
        semester=world["semester"],
        subdivision=subdivision("LYON"),
        status=OpeningStatus.PUBLISHED,
        decree_reference="ARS-2026-117",
        signed_at=timezone.now(),
    )
    from domains.choices.session_services import pre_choice_save

    with pytest.raises(ValidationError, match="le pré-choix est clos"):
        pre_choice_save(
            by=world["bea"].person.user,
            semester=world["semester"],
            accreditations=[sud.pk],
        )
    # A site not accredited for her DES is refused by its number.
    PostOpening.objects.all().delete()
    other = accredited_site(name="Psychiatrie", specialty_code="DES-PSY")
    psy = Accreditation.objects.get(training_site=other)
    with pytest.raises(ValidationError, match="Terrain n° 2 : il n'est pas agréé"):
        pre_choice_save(
            by=world["bea"].person.user,
            semester=world["semester"],
            accreditations=[sud.pk, psy.pk],
        )


def test_the_ars_postpones_the_wishes_and_each_resident_is_told(
    client, world, django_capture_on_commit_callbacks
):
    session = _open(world, until=timezone.now() + timedelta(hours=2))
    choice_session_move(
        by=world["ars"], session=session, to=SessionStatus.WISHES_CLOSED
    )
    mail.outbox.clear()
    login_verified(client, world["ars"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{session.get_absolute_url()}decision/reporter/",
            {"wishes_until": "2027-03-08T12:00"},
            follow=True,
        )
    assert "fin des vœux reportée, chaque interne est prévenu" in page_text(response)
    assert len(mail.outbox) == 3
    assert "jusqu'au 8 mars 2027 à 12:00" in mail.outbox[0].body
    # Reopened with the new deadline, a resident ranks again.
    choice_session_move(by=world["ars"], session=session, to=SessionStatus.WISHES)
    assert _wish(world, "ada", [world["heh"]]).posts == [world["heh"]]
