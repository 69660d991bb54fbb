"""InterCHU end to end across two regions: Rennes grants a resident a semester in
Lyon; Lyon's coordinator of her DES gives her opinion and Lyon's ARS accepts — only
then is she *sortante* in Rennes's semester activity and *entrante* in Lyon's, where
she is called with Lyon's residents. Rennes's ARS cannot decide for Lyon."""

import pytest
from django.core import mail

from domains.choices.models import ActivityLine, HostingStatus, InterChuHosting
from domains.choices.services import activity_prefill
from domains.people.roles import Role
from domains.residents.models import SituationKind
from domains.residents.services import situation_decide
from tests.choices.test_semester_activity import coming
from tests.conftest import login_verified
from tests.factories.people import make_user_with_role
from tests.factories.referential import region, specialty, subdivision
from tests.factories.residents import make_resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def granted(django_capture_on_commit_callbacks):
    semester = coming()
    rennes, lyon = subdivision("RENNES"), subdivision("LYON")
    resident = make_resident(
        subdivision_code="RENNES", first_name="Inès", last_name="Itinérante"
    )
    from domains.residents.models import SituationStatus, SpecialSituation

    situation = SpecialSituation.objects.create(
        resident=resident,
        kind=SituationKind.INTER_CHU,
        start_date=semester.start_date,
        end_date=semester.end_date,
        target_subdivision=lyon,
        motive="Stage de cardiologie interventionnelle.",
        status=SituationStatus.REQUESTED,
    )
    lyon_ars = make_user_with_role(Role.ARS, region=region("84"))
    origin_registry = make_user_with_role(Role.FACULTY_REGISTRY, subdivision=rennes)
    with django_capture_on_commit_callbacks(execute=True):
        situation_decide(situation=situation, approve=True, by=origin_registry)
    return {
        "semester": semester,
        "rennes": rennes,
        "lyon": lyon,
        "resident": resident,
        "hosting": InterChuHosting.objects.get(situation=situation),
        "lyon_ars": lyon_ars,
        "origin_registry": origin_registry,
    }


def _lines(world, subdivision_code):
    registry = make_user_with_role(
        Role.FACULTY_REGISTRY, subdivision=subdivision(subdivision_code)
    )
    activity_prefill(
        by=registry,
        subdivision=subdivision(subdivision_code),
        semester=world["semester"],
    )
    return ActivityLine.objects.get(
        resident=world["resident"], subdivision=subdivision(subdivision_code)
    )


def test_the_host_agrees_then_she_leaves_home_and_enters_lyon(
    client, granted, django_capture_on_commit_callbacks
):
    hosting = granted["hosting"]
    assert hosting.status == HostingStatus.PENDING
    assert granted["lyon_ars"].person.primary_email in {m.to[0] for m in mail.outbox}
    # Until Lyon agrees she chooses at home, and Lyon has no line for her.
    assert _lines(granted, "RENNES").kind == "chooses"
    url = hosting.get_absolute_url()
    login_verified(client, granted["lyon_ars"])
    early = client.post(f"{url}decision/accepter/", {"reason": ""}, follow=True)
    assert "n&#x27;a pas encore donné son avis" in early.content.decode()
    coordinator = make_user_with_role(
        Role.COORDINATOR, subdivision=granted["lyon"], specialty=specialty("DES-MCA")
    )
    client.logout()
    login_verified(client, coordinator)
    page = client.get(url).content.decode()
    assert "Stage de cardiologie interventionnelle." in page and "Rennes" in page
    assert "Accepter l&#x27;accueil" not in page and "Accepter l'accueil" not in page
    client.post(f"{url}decision/avis/", {"opinion": "favourable", "comment": ""})
    client.logout()
    login_verified(client, granted["lyon_ars"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"{url}decision/accepter/", {"reason": ""}, follow=True)
    assert "accueil accepté" in done.content.decode()
    assert mail.outbox[0].to == [granted["resident"].person.primary_email]
    assert "Vous choisirez votre stage à Lyon" in mail.outbox[0].body
    assert _lines(granted, "RENNES").kind == "inter_chu_out"
    entrant = _lines(granted, "LYON")
    assert entrant.kind == "inter_chu_in" and "depuis Rennes" in entrant.reason


def test_a_refusal_says_why_and_she_stays_home(client, granted):
    hosting = granted["hosting"]
    hosting.coordinator_opinion, hosting.coordinator_comment = (
        "unfavourable",
        "Complet.",
    )
    hosting.save()
    login_verified(client, granted["lyon_ars"])
    url = hosting.get_absolute_url()
    bare = client.post(f"{url}decision/refuser/", {"reason": ""}, follow=True)
    assert "Indiquez le motif du refus" in bare.content.decode()
    client.post(f"{url}decision/refuser/", {"reason": "Aucun poste disponible."})
    assert InterChuHosting.objects.get().status == HostingStatus.REFUSED
    assert _lines(granted, "RENNES").kind == "chooses"


def test_the_origin_region_cannot_decide_for_the_host(client, granted):
    url = granted["hosting"].get_absolute_url()
    rennes_ars = make_user_with_role(Role.ARS, region=region("53"))
    login_verified(client, rennes_ars)
    assert client.get(url).status_code in (403, 404)
    assert (
        "Itinérante" not in client.get("/cockpit/accueils-interchu/").content.decode()
    )
    response = client.post(f"{url}decision/accepter/", {"reason": ""})
    assert response.status_code in (403, 404)
    assert InterChuHosting.objects.get().status == HostingStatus.PENDING
    client.logout()
    login_verified(client, granted["lyon_ars"])
    listing = client.get("/cockpit/accueils-interchu/").content.decode()
    assert "ITINÉRANTE" in listing or "Itinérante" in listing
