"""E-mails of the semester cycle, sent by the django-q2 worker."""

from django.utils import timezone

from domains.cockpit import mailer
from domains.cockpit.links import absolute_url
from domains.people.selectors import ars_agent_addresses

from . import activity as a
from .models import (
    ActivityLine,
    ActivityStatus,
    CallList,
    CallListContest,
    DeclarationDeadline,
    InterChuHosting,
    PostOpening,
)

# Days before the deadline when the residents who have not confirmed are reminded.
REMINDER_DAYS = (7, 1)


def _contest(contest_id: int) -> CallListContest | None:
    return (
        CallListContest.objects.select_related(
            "resident__person", "call_list__subdivision__region", "call_list__semester"
        )
        .filter(pk=contest_id)
        .first()
    )


def send_contest_filed(contest_id: int) -> None:
    """Tell the region's ARS agents a resident contests her place."""
    contest = _contest(contest_id)
    if contest is None:
        return
    link = absolute_url(contest.call_list.get_absolute_url())
    for address in sorted(ars_agent_addresses(contest.call_list.subdivision.region)):
        mailer.send(
            to=address,
            template="choices/email/contest_filed",
            context={"contest": contest, "link": link},
        )


def send_contest_answer(contest_id: int) -> None:
    contest = _contest(contest_id)
    if contest is None or not contest.resident.person.primary_email:
        return
    mailer.send(
        to=contest.resident.person.primary_email,
        template="choices/email/contest_answer",
        context={"contest": contest, "link": absolute_url("cockpit:my_activity")},
    )


def send_call_list_published(call_list_id: int) -> None:
    """Each resident on the list learns her place, why, and until when she may
    contest it."""
    call_list = (
        CallList.objects.select_related("semester", "subdivision", "specialty", "group")
        .select_related("phase")
        .filter(pk=call_list_id)
        .first()
    )
    if call_list is None:
        return
    entries = list(call_list.entries.select_related("resident__person"))
    link = absolute_url("cockpit:my_activity")
    for entry in entries:
        person = entry.resident.person
        if person.primary_email:
            mailer.send(
                to=person.primary_email,
                template="choices/email/call_list_published",
                context={
                    "call_list": call_list,
                    "entry": entry,
                    "size": len(entries),
                    "person": person,
                    "link": link,
                },
            )


def send_opening_published(opening_id: int) -> None:
    """Each resident who chooses in the subdivision that semester learns the posts
    are published, with the link to the decree and her page."""
    opening = (
        PostOpening.objects.select_related("semester", "subdivision")
        .filter(pk=opening_id)
        .first()
    )
    if opening is None:
        return
    lines = ActivityLine.objects.filter(
        semester=opening.semester,
        subdivision=opening.subdivision,
        kind__in=a.CHOOSING,
    ).select_related("resident__person")
    link = absolute_url("cockpit:my_activity")
    for line in lines:
        person = line.resident.person
        if person.primary_email:
            mailer.send(
                to=person.primary_email,
                template="choices/email/opening_published",
                context={"opening": opening, "person": person, "link": link},
            )


def send_declaration_reminders() -> int:
    """Daily: a week and a day before each deadline, remind every resident whose
    line still waits for her confirmation (once a day at most). Returns the e-mails."""
    today = timezone.localdate()
    sent = 0
    deadlines = DeclarationDeadline.objects.select_related("semester", "subdivision")
    for deadline in deadlines.filter(deadline__gte=today):
        if (deadline.deadline - today).days not in REMINDER_DAYS:
            continue
        if deadline.last_reminder_on == today:
            continue
        lines = ActivityLine.objects.filter(
            semester=deadline.semester,
            subdivision=deadline.subdivision,
            status=ActivityStatus.TO_CONFIRM,
        ).select_related("resident__person")
        link = absolute_url("cockpit:my_activity")
        for line in lines:
            person = line.resident.person
            if person.primary_email:
                mailer.send(
                    to=person.primary_email,
                    template="choices/email/declaration_reminder",
                    context={
                        "person": person,
                        "line": line,
                        "deadline": deadline,
                        "link": link,
                    },
                )
                sent += 1
        DeclarationDeadline.objects.filter(pk=deadline.pk).update(
            last_reminder_on=today
        )
    return sent


def _hosting(hosting_id: int) -> InterChuHosting | None:
    return (
        InterChuHosting.objects.select_related(
            "situation__resident__person",
            "situation__resident__subdivision",
            "host_subdivision__region",
        )
        .filter(pk=hosting_id)
        .first()
    )


def send_hosting_requested(hosting_id: int) -> None:
    """Tell the host region's ARS agents an interCHU waits for their agreement."""
    hosting = _hosting(hosting_id)
    if hosting is None:
        return
    link = absolute_url(hosting.get_absolute_url())
    for address in sorted(ars_agent_addresses(hosting.host_subdivision.region)):
        mailer.send(
            to=address,
            template="choices/email/hosting_requested",
            context={"hosting": hosting, "link": link},
        )


def send_hosting_decision(hosting_id: int) -> None:
    hosting = _hosting(hosting_id)
    if hosting is None:
        return
    person = hosting.situation.resident.person
    if person.primary_email:
        mailer.send(
            to=person.primary_email,
            template="choices/email/hosting_decision",
            context={
                "hosting": hosting,
                "person": person,
                "link": absolute_url("cockpit:my_path"),
            },
        )
