"""After publication: each resident on the list reads the list of her group and
downloads it, contests her place with her reasons; the ARS is told, answers with its
reasons (the resident is told), reopens the list to correct it, and freezes it only
once every contest is answered. A resident who is not on the list reads none of it."""

import io
from datetime import date

import pytest
from django.core import mail
from openpyxl import load_workbook
from pypdf import PdfReader

from domains.choices.models import (
    ActivityLine,
    CallList,
    CallListContest,
    CallListStatus,
)
from domains.choices.services import (
    activity_validate,
    call_list_publish,
    call_lists_compute,
)
from tests.choices.test_call_lists import lists  # noqa: F401  (the fixture)
from tests.conftest import login_verified
from tests.factories.residents import make_resident

pytestmark = pytest.mark.django_db
MINE = "/cockpit/mon-semestre-prochain/"


@pytest.fixture
def published(lists):  # noqa: F811
    activity_validate(by=lists["registry"], lines=list(ActivityLine.objects.all()))
    call_lists_compute(
        by=lists["ars"], subdivision=lists["lyon"], semester=lists["semester"]
    )
    call_list = call_list_publish(by=lists["ars"], call_list=CallList.objects.get())
    return {**lists, "call_list": call_list, "url": call_list.get_absolute_url()}


def test_a_contest_is_filed_answered_and_the_list_then_frozen(
    client, published, django_capture_on_commit_callbacks
):
    resident = published["other"]
    login_verified(client, resident.person.user)
    page = client.get(MINE).content.decode()
    assert "Rang d'appel : 3 sur 3" in page
    assert "Sarah SENIOR" in page  # the list of her group
    assert "Contester mon rang" in page
    empty = client.post(f"{MINE}contester/", {"text": " "}, follow=True)
    assert "Dites ce que vous contestez et pourquoi." in empty.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"{MINE}contester/",
            {"text": "Mon semestre d'été 2026 est validé : mon ancienneté est 1."},
        )
    contest = CallListContest.objects.get()
    assert [m.to for m in mail.outbox] == [[published["ars"].person.primary_email]]
    assert "mon ancienneté est 1" in mail.outbox[0].body
    assert "(en attente de réponse)" in client.get(MINE).content.decode()

    client.logout()
    login_verified(client, published["ars"])
    url = published["url"]
    refused = client.post(f"{url}decision/arreter/", follow=True).content.decode()
    assert "1 contestation attend encore sa réponse" in refused
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"{url}contestations/{contest.pk}/repondre/",
            {
                f"contest-{contest.pk}-accepted": "0",
                f"contest-{contest.pk}-answer": "Semestre non validé par la commission.",
            },
        )
    assert mail.outbox[0].to == [resident.person.primary_email]
    assert "Semestre non validé par la commission." in mail.outbox[0].body
    frozen = client.post(f"{url}decision/arreter/", follow=True).content.decode()
    assert "liste arrêtée pour la séance de choix" in frozen
    assert CallList.objects.get().status == CallListStatus.FROZEN

    client.logout()
    login_verified(client, resident.person.user)
    page = client.get(MINE).content.decode()
    assert "Semestre non validé par la commission." in page
    assert "Contester mon rang" not in page  # frozen: no more contests
    late = client.post(f"{MINE}contester/", {"text": "Encore."}, follow=True)
    assert CallListContest.objects.count() == 1
    assert "ne sont ouvertes que sur une liste publiée" in late.content.decode()


def test_an_accepted_contest_reopens_the_list_to_correct_it(client, published):
    login_verified(client, published["other"].person.user)
    client.post(f"{MINE}contester/", {"text": "Rang national erroné."})
    contest = CallListContest.objects.get()
    client.logout()
    login_verified(client, published["ars"])
    url = published["url"]
    client.post(
        f"{url}contestations/{contest.pk}/repondre/",
        {
            f"contest-{contest.pk}-accepted": "1",
            f"contest-{contest.pk}-answer": "Rang corrigé d'après le CNG.",
        },
    )
    page = client.post(
        f"{url}decision/reprendre/", {"reason": "Contestation acceptée."}, follow=True
    ).content.decode()
    assert "liste reprise" in page and "Fixer un rang" in page
    assert CallList.objects.get().status == CallListStatus.DRAFT


def test_the_documents_of_the_list_and_who_reads_them(client, published):
    url = published["url"]
    login_verified(client, published["best"].person.user)
    pdf = client.get(f"{url}pdf/")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Senior Sarah" in text and "1 semestre validé dans la phase" in text
    xlsx = client.get(f"{url}xlsx/")
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert [c.value for c in sheet[2]][:3] == [1, "Senior", "Sarah"]
    client.logout()
    stranger = make_resident(first_name="Zoé", last_name="Ailleurs")
    login_verified(client, stranger.person.user)
    assert client.get(f"{url}pdf/").status_code in (403, 404)
    assert client.get(f"{url}xlsx/").status_code in (403, 404)
    answer = client.post(f"{MINE}contester/", {"text": "Je veux être première."})
    assert answer.status_code == 302 and not CallListContest.objects.exists()


def test_each_resident_is_told_her_place_when_the_list_is_published(
    lists,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    activity_validate(by=lists["registry"], lines=list(ActivityLine.objects.all()))
    call_lists_compute(
        by=lists["ars"], subdivision=lists["lyon"], semester=lists["semester"]
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_list_publish(
            by=lists["ars"],
            call_list=CallList.objects.get(),
            contests_until=date(2027, 1, 15),
        )
    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == {
        lists[name].person.primary_email for name in ("senior", "best", "other")
    }
    best = sent[lists["best"].person.primary_email]
    assert best.subject.startswith("Votre rang d'appel : 2 sur 3")
    assert "Aucun semestre encore validé dans la phase" in best.body
    assert "jusqu'au 15 janvier 2027 inclus" in best.body
