"""django-q2 entry points: the campaign mailing, reminders, decision letters."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.utils import timezone

from domains.cockpit import mailer
from domains.cockpit.links import absolute_url
from domains.people.models import EmailAddress, Function
from domains.people.roles import Role
from domains.people.selectors import active_on

from .documents import decision_letter
from .models import AccreditationRequest, CampaignMailing, MailingDelivery
from .selectors import campaign_recipients
from .services import filing_deadline


def _link(name: str, *args) -> str:
    return absolute_url(f"cockpit:{name}", *args)


def send_mailing(mailing_id: int) -> CampaignMailing:
    """Resolves the recipients once (the delivery log), then sends what is not sent
    yet, by chunks: a rerun after a crash sends nobody twice."""
    mailing = CampaignMailing.objects.select_related("campaign__region").get(
        pk=mailing_id
    )
    if not mailing.deliveries.exists():
        found = campaign_recipients(mailing.campaign)
        MailingDelivery.objects.bulk_create(
            [
                MailingDelivery(
                    mailing=mailing, email=email, person_id=person_id, roles=roles
                )
                for email, (person_id, roles) in sorted(found.items())
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
        CampaignMailing.objects.filter(pk=mailing.pk).update(
            total=len(found), status=CampaignMailing.Status.SENDING
        )
    body = mailing.body + "\n\n" + _link("accreditation_home")

    def message_for(delivery: MailingDelivery) -> EmailMessage:
        return EmailMessage(subject=mailing.subject, body=body, to=[delivery.email])

    pending = mailing.deliveries.filter(sent_at__isnull=True, error="")
    mailer.deliver(
        list(pending),
        message_for,
        mailer.delivery_log(MailingDelivery, CampaignMailing, mailing.pk),
    )
    CampaignMailing.objects.filter(pk=mailing.pk).update(
        status=CampaignMailing.Status.DONE, finished_at=timezone.now()
    )
    mailing.refresh_from_db()
    return mailing


def _site_addresses(
    accreditation_requests, *, dam: bool = True
) -> dict[int, list[str]]:
    """Per request: its RTS's (and its establishment's DAM's) addresses, today."""
    today = timezone.localdate()
    sites = {r.training_site_id for r in accreditation_requests}
    establishments = {r.training_site.establishment_id for r in accreditation_requests}
    functions = Function.objects.filter(active_on(today)).filter(
        role__in=[Role.SITE_SUPERVISOR, Role.MEDICAL_AFFAIRS]
    )
    rts = functions.filter(role=Role.SITE_SUPERVISOR, training_site_id__in=sites)
    dam = functions.filter(
        role=Role.MEDICAL_AFFAIRS,
        establishment_id__in=establishments if dam else [],
    )
    emails = dict(
        EmailAddress.objects.filter(
            is_primary=True,
            person_id__in={f.person_id for f in [*rts, *dam]},
        ).values_list("person_id", "email")
    )
    by_site, by_establishment = {}, {}
    for f in rts:
        by_site.setdefault(f.training_site_id, set()).add(emails.get(f.person_id))
    for f in dam:
        by_establishment.setdefault(f.establishment_id, set()).add(
            emails.get(f.person_id)
        )
    return {
        r.pk: sorted(
            e
            for e in by_site.get(r.training_site_id, set())
            | by_establishment.get(r.training_site.establishment_id, set())
            if e
        )
        for r in accreditation_requests
    }


def _send_each(messages) -> int:
    """Each message through the mailer (each in the delivery log): a failure stops no
    one else, and is raised afterwards so that django-q2 records the failed task."""
    sent, failures = 0, []
    for message in messages:
        try:
            mailer.send(**message)
        except Exception as error:  # noqa: BLE001 - raised after the others
            failures.append(error)
        else:
            sent += 1
    if failures:
        raise failures[0]
    return sent


def send_reminders(request_ids: list[int]) -> int:
    """The RTS of each draft is reminded of his deadline."""
    accreditation_requests = list(
        AccreditationRequest.objects.filter(pk__in=request_ids).select_related(
            "campaign__region", "training_site__establishment", "specialty"
        )
    )
    addresses = _site_addresses(accreditation_requests, dam=False)
    return _send_each(
        {
            "to": email,
            "template": "accreditation/email_reminder",
            "context": {
                "accreditation_request": r,
                "deadline": timezone.localtime(filing_deadline(r)),
                "link": _link("accreditation_dossier", r.pk),
            },
        }
        for r in accreditation_requests
        for email in addresses.get(r.pk, [])
    )


def send_decision_letters(request_ids: list[int]) -> int:
    """The DG ARS's letter (PDF) to the site's RTS and its establishment's DAM."""
    accreditation_requests = list(
        AccreditationRequest.objects.filter(pk__in=request_ids).select_related(
            "campaign__region",
            "training_site__establishment",
            "training_site__subdivision",
            "specialty",
            "supervisor",
            "accreditation",
        )
    )
    addresses = _site_addresses(accreditation_requests)

    def letters():
        for r in accreditation_requests:
            to = addresses.get(r.pk, [])
            if not to:
                continue
            letter = (
                f"decision-agrement-{r.pk}.pdf",
                decision_letter(r),
                "application/pdf",
            )
            for email in to:
                yield {
                    "to": email,
                    "template": "accreditation/email_decision",
                    "context": {
                        "accreditation_request": r,
                        "link": _link("demandes_agrement_detail", r.pk),
                    },
                    "attachments": [letter],
                }

    return _send_each(letters())
