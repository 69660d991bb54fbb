"""django-q2 entry points of the matching domain: take ids, load, call a service or
send the e-mails."""

from django.core.mail import EmailMessage
from django.utils import timezone

from domains.cockpit import mailer
from domains.cockpit.links import absolute_url
from domains.people.models import Function
from domains.people.selectors import active_on

from .models import (
    Audience,
    Candidacy,
    MatchingRound,
    MatchingRun,
    MatchResult,
    RoundPost,
)
from .selectors import SUPERVISING_ROLES
from .services import run_compute


def compute(run_id: int) -> None:
    run_compute(run=MatchingRun.objects.select_related("replay_of").get(pk=run_id))


def _link(name: str) -> str:
    return absolute_url(f"cockpit:{name}")


def _supervisor_addresses(site_ids) -> dict[int, set[str]]:
    addresses: dict[int, set[str]] = {}
    for function in Function.objects.filter(
        active_on(timezone.localdate()),
        role__in=SUPERVISING_ROLES,
        training_site_id__in=site_ids,
    ).select_related("person"):
        if function.person.primary_email:
            addresses.setdefault(function.training_site_id, set()).add(
                function.person.primary_email
            )
    return addresses


def _message(to: str, template: str, context: dict) -> EmailMessage:
    subject, body = mailer.render(template, context)
    return EmailMessage(subject=subject, body=body, to=[to])


def _send(messages: list[EmailMessage]) -> int:
    """A mailing: one connection, each recipient's failure apart from the others."""
    sent: list[EmailMessage] = []
    mailer.deliver(messages, lambda m: m, lambda ok, _failed: sent.extend(ok))
    return len(sent)


def send_reminders(audience: str, ids: list[int]) -> int:
    messages = []
    if audience == Audience.CANDIDATES:
        for candidacy in Candidacy.objects.filter(pk__in=ids).select_related(
            "resident__person", "round__campaign"
        ):
            email = candidacy.resident.person.primary_email
            if email:
                messages.append(
                    _message(
                        email,
                        "matching/email_reminder_candidate",
                        {"candidacy": candidacy, "link": _link("my_matching")},
                    )
                )
    else:
        offers = list(
            RoundPost.objects.filter(pk__in=ids).select_related(
                "post__training_site", "round__campaign"
            )
        )
        addresses = _supervisor_addresses({o.post.training_site_id for o in offers})
        for offer in offers:
            context = {"offer": offer, "link": _link("matching_rankings")}
            for email in sorted(addresses.get(offer.post.training_site_id, ())):
                messages.append(
                    _message(email, "matching/email_reminder_supervisor", context)
                )
    return _send(messages)


def send_results(round_id: int) -> int:
    matching_round = MatchingRound.objects.select_related("campaign").get(pk=round_id)
    messages = []
    for candidacy in matching_round.candidacies.select_related(
        "resident__person", "result__offer__post__training_site"
    ):
        email = candidacy.resident.person.primary_email
        if not email:
            continue
        result = getattr(candidacy, "result", None)
        messages.append(
            _message(
                email,
                "matching/email_result_resident",
                {
                    "round": matching_round,
                    "offer": result.offer if result else None,
                    "link": _link("my_matching"),
                },
            )
        )
    offers = list(
        matching_round.offers.select_related("post__training_site").prefetch_related(
            "results__candidacy__resident__person"
        )
    )
    addresses = _supervisor_addresses({o.post.training_site_id for o in offers})
    for offer in offers:
        context = {
            "round": matching_round,
            "offer": offer,
            "residents": [r.candidacy.resident for r in offer.results.all()],
            "link": _link("matching_rankings"),
        }
        for email in sorted(addresses.get(offer.post.training_site_id, ())):
            messages.append(
                _message(email, "matching/email_result_supervisor", context)
            )
    return _send(messages)


def send_corrected_result(result_id: int) -> None:
    """Tell the resident her result was corrected after publication, and why."""
    result = (
        MatchResult.objects.select_related(
            "round__campaign__semester",
            "candidacy__resident__person",
            "offer__post__training_site__establishment",
        )
        .filter(pk=result_id)
        .first()
    )
    if result is None:
        return
    resident = result.candidacy.resident
    if not resident.person.primary_email:
        return
    mailer.send(
        to=resident.person.primary_email,
        template="matching/email_result_corrected",
        context={
            "resident": resident,
            "round": result.round,
            "offer": result.offer,
            "note": result.note,
            "link": _link("my_path"),
        },
    )
