"""Mailing lists: who is in an audience, and the one notification of an announcement
(queued on publication, sent by django-q2, each address once, unsubscriptions
honoured, a delivery log and progress the admin shows)."""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from domains.cockpit.links import absolute_url
from domains.cockpit.mailer import deliver, delivery_log, enqueue, render
from domains.people.models import EmailAddress, Function
from domains.people.roles import Role
from domains.people.selectors import active_on
from domains.residents.models import Enrolment, EnrolmentState, Resident

from .models import Delivery, Mailing, MailingList, Subscription, Unsubscription

SALT = "siimop.mailing-list.unsubscribe"


def _perimeter(mailing_list: MailingList) -> Q:
    """Functions inside the list's perimeter (region, subdivision, specialty)."""
    q = Q()
    if mailing_list.region_id:
        r = mailing_list.region_id
        q &= (
            Q(region_id=r)
            | Q(subdivision__region_id=r)
            | Q(establishment__region_id=r)
            | Q(training_site__subdivision__region_id=r)
        )
    if mailing_list.subdivision_id:
        s = mailing_list.subdivision_id
        q &= Q(subdivision_id=s) | Q(training_site__subdivision_id=s)
    return q


def list_members(mailing_list: MailingList) -> set[str]:
    """Lower-cased addresses of the list's audience: active holders of its roles in
    its perimeter (residents by their subdivision and current specialty), and its
    subscribers; minus whoever unsubscribed."""
    today = timezone.localdate()
    roles = [r for r in mailing_list.roles if r in Role.values]
    people = set()
    others = [r for r in roles if r != Role.RESIDENT]
    if others:
        functions = Function.objects.filter(active_on(today), role__in=others).filter(
            _perimeter(mailing_list)
        )
        if mailing_list.specialty_id:
            functions = functions.filter(specialty_id=mailing_list.specialty_id)
        people |= set(functions.values_list("person_id", flat=True))
    if Role.RESIDENT in roles:
        residents = Resident.objects.filter(
            person__functions__role=Role.RESIDENT,
            person__functions__in=Function.objects.filter(active_on(today)),
        )
        if mailing_list.region_id:
            residents = residents.filter(subdivision__region_id=mailing_list.region_id)
        if mailing_list.subdivision_id:
            residents = residents.filter(subdivision_id=mailing_list.subdivision_id)
        if mailing_list.specialty_id:
            residents = residents.filter(
                pk__in=Enrolment.objects.filter(
                    specialty_id=mailing_list.specialty_id, state=EnrolmentState.ACTIVE
                ).values("resident_id")
            )
        people |= set(residents.values_list("person_id", flat=True))
    emails = {
        e.lower()
        for e in EmailAddress.objects.filter(
            person_id__in=people, is_primary=True
        ).values_list("email", flat=True)
    }
    emails |= {
        e.lower() for e in mailing_list.subscriptions.values_list("email", flat=True)
    }
    gone = {
        e.lower() for e in mailing_list.unsubscriptions.values_list("email", flat=True)
    }
    return emails - gone


def recipients(lists) -> dict[str, MailingList]:
    """Each address once, with the first list that reaches it (for its link)."""
    found: dict[str, MailingList] = {}
    for mailing_list in sorted(lists, key=lambda m: m.pk):
        for email in list_members(mailing_list):
            found.setdefault(email, mailing_list)
    return found


@transaction.atomic
def announcement_notify(page) -> Mailing | None:
    """On publication: queues the page's one mailing to its lists (never twice)."""
    if not page.notify or Mailing.objects.filter(page=page).exists():
        return None
    lists = list(page.mailing_lists.all())
    if not lists:
        return None
    mailing = Mailing.objects.create(page=page)
    mailing.lists.set(lists)
    enqueue("siimop_site.tasks.send_mailing", mailing.pk)
    return mailing


def unsubscribe_token(email: str, mailing_list: MailingList) -> str:
    return signing.dumps({"e": email, "l": mailing_list.pk}, salt=SALT, compress=True)


def unsubscribe_url(email: str, mailing_list: MailingList) -> str:
    return absolute_url("unsubscribe", unsubscribe_token(email, mailing_list))


def read_token(token: str) -> tuple[str, MailingList]:
    try:
        data = signing.loads(token, salt=SALT)
        return data["e"], MailingList.objects.get(pk=data["l"])
    except (signing.BadSignature, KeyError, MailingList.DoesNotExist) as error:
        raise ValidationError(
            _("Ce lien de désabonnement n'est pas valide.")
        ) from error


@transaction.atomic
def unsubscribe(token: str) -> MailingList:
    email, mailing_list = read_token(token)
    Unsubscription.objects.get_or_create(mailing_list=mailing_list, email=email.lower())
    Subscription.objects.filter(mailing_list=mailing_list, email__iexact=email).delete()
    return mailing_list


def mailing_send(mailing: Mailing) -> Mailing:
    """Resolves the audience once (the delivery log), then sends what is not sent yet:
    a rerun after a crash does not send twice."""
    if not mailing.deliveries.exists():
        found = recipients(mailing.lists.all())
        Delivery.objects.bulk_create(
            [
                Delivery(mailing=mailing, email=email, mailing_list=found[email])
                for email in sorted(found)
            ],
            ignore_conflicts=True,
        )
        Mailing.objects.filter(pk=mailing.pk).update(
            total=len(found), status=Mailing.Status.SENDING
        )
    page = mailing.page.specific
    link = absolute_url(page)

    def message_for(delivery: Delivery) -> EmailMessage:
        mailing_list = delivery.mailing_list
        stop = unsubscribe_url(delivery.email, mailing_list)
        subject, body = render(
            "siimop_site/announcement",
            {"page": page, "link": link, "list": mailing_list, "stop": stop},
        )
        return EmailMessage(
            subject=subject,
            body=body,
            to=[delivery.email],
            headers={"List-Unsubscribe": f"<{stop}>"},
        )

    pending = mailing.deliveries.filter(sent_at__isnull=True, error="")
    deliver(
        list(pending.select_related("mailing_list")),
        message_for,
        delivery_log(Delivery, Mailing, mailing.pk),
    )
    Mailing.objects.filter(pk=mailing.pk).update(
        status=Mailing.Status.DONE, finished_at=timezone.now()
    )
    mailing.refresh_from_db()
    return mailing
