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
    ChoiceSession,
    DeclarationDeadline,
    InterChuHosting,
    PostOpening,
)

# Days before the deadline when the residents who have not confirmed are reminded.
REMINDER_DAYS = (7, 1)


def _tell_residents(rows, template: str, context, page="cockpit:my_activity") -> int:
    """E-mail the resident of each row (an activity line, a call-list place) who has
    an address, with `context(row)`, her `page`'s link and herself; the rows' people
    and their addresses read in two queries. Returns the e-mails sent."""
    link = absolute_url(page)
    sent = 0
    for row in rows.select_related("resident__person").prefetch_related(
        "resident__person__emails"
    ):
        person = row.resident.person
        if person.primary_email:
            mailer.send(
                to=person.primary_email,
                template=template,
                context={**context(row), "person": person, "link": link},
            )
            sent += 1
    return sent


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
    size = call_list.entries.count()
    _tell_residents(
        call_list.entries.all(),
        "choices/email/call_list_published",
        lambda entry: {"call_list": call_list, "entry": entry, "size": size},
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
    _tell_residents(
        ActivityLine.objects.filter(
            semester=opening.semester,
            subdivision=opening.subdivision,
            kind__in=a.CHOOSING,
        ),
        "choices/email/opening_published",
        lambda line: {"opening": opening},
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
        sent += _tell_residents(
            ActivityLine.objects.filter(
                semester=deadline.semester,
                subdivision=deadline.subdivision,
                status=ActivityStatus.TO_CONFIRM,
            ),
            "choices/email/declaration_reminder",
            lambda line: {"line": line, "deadline": deadline},  # noqa: B023
        )
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


def send_wishes_opened(session_id: int) -> None:
    """Each resident of the amphi learns she may rank her wishes, until when."""
    _tell_session(session_id, "choices/email/wishes_opened")


def send_wishes_postponed(session_id: int) -> None:
    """Each resident of the amphi learns the wishes' new deadline."""
    _tell_session(session_id, "choices/email/wishes_postponed")


def _tell_session(session_id: int, template: str) -> None:
    """E-mail each resident of the amphi: the call list's, and the non-validating
    supernumeraries of its DES and phase."""
    from .session_selectors import supernumeraries_after

    session = (
        ChoiceSession.objects.select_related(
            "call_list__semester", "call_list__subdivision", "call_list__phase"
        )
        .select_related("call_list__specialty", "call_list__group")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        return
    for rows in (
        session.call_list.entries.all(),
        supernumeraries_after(session.call_list),
    ):
        _tell_residents(
            rows,
            template,
            lambda row: {"session": session},
            page="cockpit:my_wishes",
        )
