"""One mailer: templates in French, sent after the commit, every message logged."""

import pytest
from django.core import mail
from django.db import transaction

from domains.cockpit import mailer
from domains.cockpit.models import EmailLog
from domains.people.permissions import SYSTEM
from domains.people.services import email_add, email_request_verification
from tests.factories.people import make_person

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_verification_link_is_sent_after_the_commit_and_logged():
    person = make_person(email="claire.martin@chu-lyon.fr")
    address = email_add(person=person, email="c.martin@univ-lyon1.fr", by=person.user)
    mail.outbox.clear()
    with transaction.atomic():
        email_request_verification(address=address, by=SYSTEM)
        assert mail.outbox == []  # nothing leaves before the commit
    (message,) = mail.outbox
    assert message.subject == "SIIMOP — vérifiez votre adresse e-mail"
    assert message.to == ["c.martin@univ-lyon1.fr"]
    log = EmailLog.objects.get(email="c.martin@univ-lyon1.fr")
    assert (log.template, log.sent, log.error) == (
        "people/email_verification",
        True,
        "",
    )


def test_a_rolled_back_write_sends_nothing():
    person = make_person(email="paul.roux@chu-lyon.fr")
    address = email_add(person=person, email="p.roux@univ-lyon1.fr", by=person.user)
    mail.outbox.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        email_request_verification(address=address, by=SYSTEM)
        raise RuntimeError("refused later in the same transaction")
    assert mail.outbox == []
    assert not EmailLog.objects.filter(email="p.roux@univ-lyon1.fr").exists()


def test_a_failed_send_is_logged_with_its_error_and_raised(settings):
    settings.EMAIL_BACKEND = "tests.cockpit.test_mailer.RefusingBackend"
    with pytest.raises(OSError):
        mailer.send(
            to="x@exemple.fr",
            template="people/email_verification",
            context={"person": None, "address": None, "link": "https://x"},
        )
    log = EmailLog.objects.get(email="x@exemple.fr")
    assert not log.sent and "serveur injoignable" in log.error


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("serveur injoignable")
