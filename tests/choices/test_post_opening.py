"""The post opening decree: the ARS prepares a subdivision's opening (from the last
semester's posts, within each accreditation's maximum), coordinators give their
opinion per DES, the DG ARS signs only when the 107 % rule is met everywhere — the
signed PDF is kept and the posts freeze — then publishes: the announcement and an
e-mail to each resident who chooses. Another region's ARS reaches none of it."""

import io
import re
from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from domains.choices.models import OpeningOpinion, OpeningStatus, PostOpening
from domains.choices.services import activity_prefill, opening_start
from domains.people.roles import Role
from domains.referential.models import Accreditation, Post
from domains.referential.services import post_open, post_update
from siimop_site.models import CampaignAnnouncementPage, HomePage, NewsIndexPage
from siimop_site.pages import publish
from tests.choices.test_semester_activity import coming
from tests.conftest import login_verified
from tests.factories.people import make_user_with_role
from tests.factories.referential import (
    SemesterFactory,
    phase,
    region,
    specialty,
    subdivision,
)
from tests.factories.residents import accredited_site, make_resident

pytestmark = pytest.mark.django_db
START = "/cockpit/ouvertures/preparer/"


def _text(content: bytes) -> str:
    return " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(content)).pages
    )


@pytest.fixture
def world():
    semester = coming()
    residents = [make_resident(start=("winter", 2026)) for _ in range(3)]
    registry = make_user_with_role(Role.FACULTY_REGISTRY, subdivision=subdivision())
    activity_prefill(by=registry, subdivision=subdivision(), semester=semester)
    ars = make_user_with_role(Role.ARS, region=region())
    site = accredited_site(name="Cardiologie HEH")
    post_open(
        semester=semester,
        training_site=site,
        specialty=specialty("DES-MCA"),
        phase=phase("socle"),
        seats=3,
        by=ars,
    )
    return {"semester": semester, "residents": residents, "ars": ars, "site": site}


def _prepare(client, world) -> PostOpening:
    login_verified(client, world["ars"])
    response = client.post(START, {"subdivision": subdivision().pk})
    opening = PostOpening.objects.get()
    assert response.url == opening.get_absolute_url()
    return opening


def _sign(client, opening, number="ARS-2026-117"):
    return client.post(
        f"/cockpit/ouvertures/{opening.pk}/decision/signer/",
        {
            "decree_reference": number,
            "commission_date": "2026-09-15",
            "minutes": "Commission réunie en présence des représentants des internes.",
        },
        follow=True,
    )


def test_signing_waits_for_the_rule_then_freezes_the_posts(client, world):
    opening = _prepare(client, world)
    page = client.get(opening.get_absolute_url()).content.decode()
    # 3 residents choose: ceil(3.21) = 4 posts needed, 3 opened.
    assert "1 poste manquant" in page
    assert "Signer l&#x27;arrêté" in page or "Signer l'arrêté" in page
    refused = _sign(client, opening).content.decode()
    assert (
        "La règle des 107 % n&#x27;est pas respectée pour 1 DES et phase : "
        "Médecine cardiovasculaire — phase socle (1 poste manquant)." in refused
    )
    assert PostOpening.objects.get().status == OpeningStatus.DRAFT
    post_update(post=Post.objects.get(), seats=4, by=world["ars"])
    signed = _sign(client, opening).content.decode()
    assert "arrêté signé ; les postes sont arrêtés." in signed
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.SIGNED
    decree = client.get(f"/cockpit/ouvertures/{opening.pk}/arrete.pdf")
    text = _text(b"".join(decree.streaming_content))
    assert "Arrêté n° ARS-2026-117" in text
    assert "Cardiologie HEH" in text and "Soit 4 places au total." in text
    with pytest.raises(
        ValidationError, match="est signé : ses postes ne changent plus"
    ):
        post_update(post=Post.objects.get(), seats=5, by=world["ars"])
    minutes = client.get(f"/cockpit/ouvertures/{opening.pk}/compte-rendu.pdf")
    assert "représentants des internes" in _text(minutes.content)


def test_publication_tells_each_resident_who_chooses(
    client, world, django_capture_on_commit_callbacks
):
    if not NewsIndexPage.objects.exists():
        publish(HomePage.objects.first(), NewsIndexPage(title="Actualités", slug="a"))
    opening = _prepare(client, world)
    post_update(post=Post.objects.get(), seats=4, by=world["ars"])
    _sign(client, opening)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            f"/cockpit/ouvertures/{opening.pk}/decision/publier/", follow=True
        ).content.decode()
    assert "arrêté publié" in page
    assert PostOpening.objects.get().status == OpeningStatus.PUBLISHED
    addresses = {m.to[0] for m in mail.outbox}
    assert addresses == {r.person.primary_email for r in world["residents"]}
    assert "ARS-2026-117" in mail.outbox[0].body
    # The public announcement lists the seats under their own heading, apart from
    # what residents are asked to do.
    announcement = CampaignAnnouncementPage.objects.get()
    public = client.get(announcement.url).content.decode()
    seats = public.index("Places ouvertes par DES et phase")
    assert (
        public.index("Ce qu'il faut faire")
        < seats
        < public.index("phase socle : 4 places")
    )


def test_the_maximum_of_the_accreditation_bounds_the_seats(world):
    Accreditation.objects.filter(training_site=world["site"]).update(max_residents=3)
    with pytest.raises(
        ValidationError, match="Au plus 3 internes sur « Cardiologie HEH »"
    ):
        post_update(post=Post.objects.get(), seats=4, by=world["ars"])


def test_copy_of_the_last_semester_skips_what_is_no_longer_accredited(client, world):
    semester = world["semester"]
    previous = SemesterFactory(
        season="summer" if semester.season == "winter" else "winter",
        year=semester.year if semester.season == "winter" else semester.year - 1,
    )
    kept = accredited_site(name="Pneumologie Lyon Sud")
    gone = accredited_site(name="Ancien service")
    for site in (kept, gone):
        Post.objects.create(
            semester=previous,
            training_site=site,
            specialty=specialty("DES-MCA"),
            phase=phase("socle"),
            seats=2,
        )
    Accreditation.objects.filter(training_site=gone).update(end_date=date(2020, 1, 1))
    opening = _prepare(client, world)
    page = client.post(
        f"/cockpit/ouvertures/{opening.pk}/reprendre/", follow=True
    ).content.decode()
    assert "1 poste repris du semestre précédent." in page
    assert "1 poste non repris : Ancien service" in page
    assert Post.objects.filter(semester=semester, training_site=kept, seats=2).exists()


def test_the_coordinator_gives_her_opinion_with_reasons(client, world):
    opening = _prepare(client, world)
    coordinator = make_user_with_role(
        Role.COORDINATOR, subdivision=subdivision(), specialty=specialty("DES-MCA")
    )
    client.logout()
    login_verified(client, coordinator)
    url = f"/cockpit/ouvertures/{opening.pk}/avis/"
    data = {"specialty": specialty("DES-MCA").pk, "opinion": "unfavourable"}
    refused = client.post(url, {**data, "comment": ""}, follow=True).content.decode()
    assert "Un avis réservé ou défavorable dit pourquoi." in refused
    client.post(url, {**data, "comment": "Il manque un terrain en CHU."})
    page = client.get(opening.get_absolute_url()).content.decode()
    assert "Défavorable" in page and "Il manque un terrain en CHU." in page
    # Another DES's coordinator speaks for hers only; another subdivision's not at all.
    other = make_user_with_role(
        Role.COORDINATOR, subdivision=subdivision(), specialty=specialty("DES-MGE")
    )
    client.logout()
    login_verified(client, other)
    answer = client.post(url, {**data, "comment": "x"}, follow=True).content.decode()
    assert "Sélectionnez un choix valide" in answer
    assert OpeningOpinion.objects.get().comment == "Il manque un terrain en CHU."
    client.logout()
    login_verified(
        client,
        make_user_with_role(
            Role.COORDINATOR,
            subdivision=subdivision("GRENOBLE"),
            specialty=specialty("DES-MCA"),
        ),
    )
    assert client.post(url, {**data, "comment": "x"}).status_code in (403, 404)


def test_another_region_reaches_none_of_it(client, world):
    opening = _prepare(client, world)
    client.logout()
    login_verified(client, make_user_with_role(Role.ARS, region=region("11")))
    listing = client.get("/cockpit/ouvertures/").content.decode()
    assert str(opening.subdivision) not in listing
    for url in (
        opening.get_absolute_url(),
        f"/cockpit/ouvertures/{opening.pk}/compte-rendu.pdf",
        f"/cockpit/ouvertures/{opening.pk}/postes.xlsx",
    ):
        assert client.get(url).status_code in (403, 404), url
    assert client.post(f"/cockpit/ouvertures/{opening.pk}/reprendre/").status_code in (
        403,
        404,
    )
    signed = _sign(client, opening)
    assert PostOpening.objects.get().status == OpeningStatus.DRAFT
    assert signed.status_code in (403, 404)
    export = client.get("/cockpit/ouvertures/export/csv/")
    assert str(opening.subdivision) not in b"".join(export.streaming_content).decode()


def test_each_rule_row_opens_the_post_form_on_its_semester_des_and_phase(client, world):
    opening = _prepare(client, world)
    page = client.get(opening.get_absolute_url()).content.decode()
    link = re.search(r'href="(/cockpit/postes/[^"]*\?semester=[^"]*)"', page)
    assert link, "no « Créer un poste » link"
    form = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    semester, mca = world["semester"], specialty("DES-MCA")
    assert f'<option value="{semester.pk}" selected>' in form
    assert f'<option value="{mca.pk}" selected>' in form


def test_starting_an_opening_writes_one_history_row_naming_the_ars(world):
    ars, semester = world["ars"], world["semester"]
    opening = opening_start(by=ars, semester=semester, subdivision=subdivision())
    again = opening_start(by=ars, semester=semester, subdivision=subdivision())
    assert again == opening
    assert [(h.history_type, h.history_user) for h in opening.history.all()] == [
        ("+", ars)
    ]
