"""Each action of the request's state machine is declared once (its form, service,
message, confirmation) and one view serves them all, the visit report's upload
included; the request's page draws what the actor may do."""

import pytest

from domains.accreditation import actions, workflow
from domains.accreditation.models import Attachment, RequestStatus
from tests.factories.accreditation import make_world
from tests.factories.matching import pdf

pytestmark = pytest.mark.django_db


def test_every_workflow_action_is_declared_once_for_the_pages():
    assert set(actions.ON_PAGE) | actions.ELSEWHERE == set(workflow.ACTIONS)
    assert not set(actions.ON_PAGE) & actions.ELSEWHERE
    for name, declared in actions.ON_PAGE.items():
        assert str(declared.success), name


def test_an_undeclared_action_is_not_found(client):
    w = make_world()
    accreditation_request = w.filed()
    client.force_login(w.rts)
    for name in ("attach", "close_filing", "delete"):
        response = client.post(
            f"/cockpit/demandes-agrement/{accreditation_request.pk}/action/{name}/"
        )
        assert response.status_code == 404, name


def test_the_page_offers_the_actor_his_buttons_and_forms_and_they_work(client):
    w = make_world()
    accreditation_request = w.filed()
    url = f"/cockpit/demandes-agrement/{accreditation_request.pk}/"
    client.force_login(w.rts)
    page = client.get(url).content.decode()
    assert "Retirer la demande ? Elle ne sera pas examinée." in page  # confirmation
    assert "Inscrire à la commission" not in page  # the ARS's
    client.force_login(w.coordinator)
    page = client.get(url).content.decode()
    assert "Enregistrer mon avis" in page and "Déposer le rapport de visite" in page
    assert "Retirer la demande" not in page
    uploaded = client.post(
        f"{url}action/visit_report/",
        {"title": "Visite du 12 mars", "file": pdf("visite.pdf")},
        follow=True,
    )
    assert "Rapport de visite déposé." in uploaded.content.decode()
    report = Attachment.objects.get(request=accreditation_request)
    assert (report.kind, report.title) == ("visit_report", "Visite du 12 mars")
    client.force_login(w.rts)
    withdrawn = client.post(f"{url}action/withdraw/", follow=True)
    assert "Demande retirée." in withdrawn.content.decode()
    accreditation_request.refresh_from_db()
    assert accreditation_request.status == RequestStatus.WITHDRAWN


def test_a_refused_action_says_why_and_writes_nothing(client):
    w = make_world()
    accreditation_request = w.filed()
    client.force_login(w.representative)
    page = client.post(
        f"/cockpit/demandes-agrement/{accreditation_request.pk}/action/visit_report/",
        {"title": "Visite", "file": pdf("visite.pdf")},
        follow=True,
    )
    assert "n&#x27;est pas ouvert à votre fonction" in page.content.decode()
    assert not Attachment.objects.exists()
