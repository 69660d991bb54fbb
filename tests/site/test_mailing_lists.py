"""Mailing lists: audiences by functions and perimeters (plus subscribers), one e-mail
per person per announcement even when in two lists, sent once, unsubscriptions
honoured, a delivery log with counts."""

from datetime import date
from html import unescape

import pytest
from django.core import mail
from wagtail.models import Page

from domains.people.roles import Role
from siimop_site.mailings import list_members, unsubscribe_token
from siimop_site.models import (
    CampaignAnnouncementPage,
    HomePage,
    Mailing,
    MailingList,
    NewsIndexPage,
    Subscription,
)
from tests.conftest import login_verified
from tests.factories.people import make_user_with_role
from tests.factories.referential import (
    region,
    specialty,
    subdivision,
)
from tests.factories.residents import make_resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def ara_rts(people):
    """The RTS of a Lyon site (Auvergne-Rhône-Alpes) and of a Rennes one."""
    return people.site_supervisor, people.site_supervisor_elsewhere


def test_a_list_holds_the_roles_of_its_perimeter_and_its_subscribers(ara_rts, people):
    inside, outside = ara_rts
    _not_an_rts = people.ars  # of the region, yet not on the list
    ended = make_user_with_role(Role.SITE_SUPERVISOR, training_site=people.site)
    ended.person.functions.update(end_date=date(2025, 6, 30))
    rts_ara = MailingList.objects.create(
        name="RTS d'Auvergne-Rhône-Alpes",
        roles=[Role.SITE_SUPERVISOR],
        region=region("84"),
    )
    Subscription.objects.create(mailing_list=rts_ara, email="Curieux@Exemple.fr")
    assert list_members(rts_ara) == {inside.email.lower(), "curieux@exemple.fr"}


def test_residents_of_a_specialty(ara_rts):
    cardio = make_resident(specialty_code="DES-MCA")
    make_resident(specialty_code="DES-NEP")
    residents = MailingList.objects.create(
        name="Internes de cardiologie",
        roles=[Role.RESIDENT],
        specialty=specialty("DES-MCA"),
    )
    assert list_members(residents) == {cardio.person.primary_email.lower()}


def _announcement(lists, notify=True) -> CampaignAnnouncementPage:
    home = HomePage.objects.get()
    news = NewsIndexPage(title="Actualités", slug="actualites")
    home.add_child(instance=news)
    page = CampaignAnnouncementPage(
        title="Campagne d'agréments 2027 : ouverture",
        slug="agrements-2027",
        intro="Le dépôt des dossiers ouvre le 5 janvier.",
        notify=notify,
    )
    news.add_child(instance=page)
    page.mailing_lists.set(lists)
    page.save_revision().publish()
    return page


def test_publishing_mails_each_person_once_and_only_once(
    ara_rts, django_capture_on_commit_callbacks
):
    inside, _outside = ara_rts
    first = MailingList.objects.create(
        name="RTS ARA", roles=[Role.SITE_SUPERVISOR], region=region("84")
    )
    second = MailingList.objects.create(
        name="RTS de Lyon",
        roles=[Role.SITE_SUPERVISOR],
        subdivision=subdivision("LYON"),
    )
    Subscription.objects.create(mailing_list=second, email="abonne@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        page = _announcement([first, second])
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["abonne@exemple.fr", inside.email.lower()]
    )
    message = next(m for m in mail.outbox if m.to == [inside.email.lower()])
    assert message.subject == "Campagne d'agréments 2027 : ouverture"
    assert "/listes/desabonnement/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    mailing = Mailing.objects.get()
    assert (mailing.status, mailing.total, mailing.sent, mailing.progress) == (
        "done",
        2,
        2,
        100,
    )
    with django_capture_on_commit_callbacks(execute=True):
        Page.objects.get(pk=page.pk).specific.save_revision().publish()
    assert len(mail.outbox) == 2 and Mailing.objects.count() == 1


def test_an_unsubscribed_address_is_not_mailed_again(
    client, ara_rts, django_capture_on_commit_callbacks
):
    inside, _outside = ara_rts
    rts = MailingList.objects.create(
        name="RTS ARA", roles=[Role.SITE_SUPERVISOR], region=region("84")
    )
    url = f"/listes/desabonnement/{unsubscribe_token(inside.email.lower(), rts)}/"
    assert "Confirmer le désabonnement" in client.get(url).content.decode()
    assert list_members(rts)  # nothing happens on a mere visit
    assert "ne recevra plus" in client.post(url).content.decode()
    assert list_members(rts) == set()
    with django_capture_on_commit_callbacks(execute=True):
        _announcement([rts])
    assert mail.outbox == []
    bad = client.get("/listes/desabonnement/faux/")
    assert bad.status_code == 400
    assert "Ce lien de désabonnement n'est pas valide." in unescape(
        bad.content.decode()
    )


def test_no_mailing_without_the_notify_box(ara_rts, django_capture_on_commit_callbacks):
    rts = MailingList.objects.create(name="RTS", roles=[Role.SITE_SUPERVISOR])
    with django_capture_on_commit_callbacks(execute=True):
        _announcement([rts], notify=False)
    assert mail.outbox == [] and not Mailing.objects.exists()


def test_uness_admins_manage_lists_and_follow_sends_in_the_wagtail_admin(
    client, people
):
    MailingList.objects.create(name="Toutes les DAM", roles=[Role.MEDICAL_AFFAIRS])
    login_verified(client, people.uness_admin)
    assert "Toutes les DAM" in client.get("/admin/listes-diffusion/").content.decode()
    form = client.get("/admin/listes-diffusion/new/").content.decode()
    assert "Direction des affaires médicales" in form  # roles offered as boxes
    assert client.get("/admin/envois/").status_code == 200
    client.force_login(people.ars)
    assert client.get("/admin/listes-diffusion/").status_code in (302, 403)
