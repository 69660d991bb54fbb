"""Writes of UNESS Assistance: teams and routing, filing a request."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from helpdesk.models import (
    FollowUp,
    FollowUpAttachment,
    KBItem,
    PreSetReply,
    Queue,
    Ticket,
    TicketChange,
)

from domains.cockpit import mailer
from domains.people.selectors import person_for_email
from domains.referential.models import Subdivision

from . import permissions
from .models import (
    ArticleRead,
    Category,
    Period,
    Route,
    Team,
    TicketContext,
    Tier,
)
from .selectors import MOVE_FIELD
from .targets import deadlines, hours_since, ticket_calendar

# Level 2's queue slug is the tag of every e-mail subject, "[uness-123]": django-helpdesk
# threads replies by it, and polls the national mailbox configured on this queue.
LEVEL_2_SLUG = "uness"


def _queue(slug: str, title: str) -> Queue:
    return Queue.objects.get_or_create(slug=slug, defaults={"title": title})[0]


@transaction.atomic
def article_read(*, article: KBItem, subdivision: Subdivision | None) -> None:
    """Counts a knowledge-base article opened from the request form."""
    ArticleRead.objects.create(article=article, subdivision=subdivision)


@transaction.atomic
def teams_setup() -> int:
    """One level-1 team per subdivision, routed every category by default, and the
    national level-2 team. Idempotent: existing teams and routes are kept."""
    Team.objects.get_or_create(
        tier=Tier.LEVEL_2,
        subdivision=None,
        defaults={
            "name": "UNESS — niveau 2",
            "queue": _queue(LEVEL_2_SLUG, "UNESS — niveau 2"),
        },
    )
    created = 0
    for subdivision in Subdivision.objects.order_by("code"):
        team, _new = Team.objects.get_or_create(
            tier=Tier.LEVEL_1,
            subdivision=subdivision,
            defaults={
                "name": f"{subdivision.name} — niveau 1",
                "queue": _queue(
                    f"n1-{subdivision.code.lower()}"[:50],
                    f"{subdivision.name} — niveau 1",
                ),
            },
        )
        for category in Category.values:
            created += Route.objects.get_or_create(
                subdivision=subdivision, category=category, defaults={"team": team}
            )[1]
    return created


def subject_tag(ticket: Ticket) -> str:
    """The tag django-helpdesk's polling recognises: the mailbox queue's slug."""
    return f"[{level_2_team().queue.slug}-{ticket.pk}]"


@transaction.atomic
def mailbox_configure(config: dict | None) -> bool:
    """Puts the national mailbox (settings.ASSISTANCE_MAILBOX) on the level-2 queue,
    or takes it off; returns whether polling is on."""
    queue = level_2_team().queue
    if not config or not config.get("type"):
        queue.email_box_type = None
        queue.allow_email_submission = False
    else:
        queue.email_box_type = config["type"]
        queue.email_box_host = config.get("host") or None
        queue.email_box_port = config.get("port") or None
        queue.email_box_ssl = bool(config.get("ssl", True))
        queue.email_box_user = config.get("user") or None
        queue.email_box_pass = config.get("password") or None
        queue.email_box_imap_folder = config.get("folder") or None
        queue.email_box_local_dir = config.get("local_dir") or None
        queue.email_box_interval = 0  # django-q2's schedule sets the pace
        queue.email_address = config.get("address") or None
        queue.allow_email_submission = True
    queue.save()
    return queue.allow_email_submission


@transaction.atomic
def mailed_tickets_complete() -> list[Ticket]:
    """Requests that came in by e-mail get their SIIMOP context: level 2, category
    "Autre", the sender's person when known, the targets."""
    tickets = list(
        Ticket.objects.filter(siimop__isnull=True).select_related("queue__team")
    )
    for ticket in tickets:
        due = deadlines(ticket)
        TicketContext.objects.create(
            ticket=ticket,
            category=Category.OTHER,
            tier=getattr(getattr(ticket.queue, "team", None), "tier", Tier.LEVEL_2),
            person=person_for_email(ticket.submitter_email or ""),
            application="E-mail",
            first_response_due=due.first_response,
            resolution_due=due.resolution,
        )
    return tickets


def level_2_team() -> Team:
    return Team.objects.get(tier=Tier.LEVEL_2)


@transaction.atomic
def request_file(
    *,
    title: str,
    description: str,
    category: str,
    email: str,
    subdivision: Subdivision | None = None,
    person=None,
    application: str = "",
    page: str = "",
    function: str = "",
    attachments=(),
) -> Ticket:
    """Files a request in the level-1 team of its (subdivision, category), or at
    level 2 when no subdivision is known; the person gets an acknowledgement."""
    errors = {}
    if not title.strip():
        errors["title"] = _("Donnez un titre à votre demande.")
    if not description.strip():
        errors["description"] = _("Décrivez votre demande.")
    if category not in Category.values:
        errors["category"] = _("Choisissez une catégorie.")
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Saisissez une adresse e-mail valide.")
    errors.update(_attachment_errors(attachments))
    if errors:
        raise ValidationError(errors)
    route = (
        Route.objects.select_related("team__queue")
        .filter(subdivision=subdivision, category=category)
        .first()
        if subdivision
        else None
    )
    team = route.team if route else level_2_team()
    ticket = Ticket.objects.create(
        title=title.strip()[:200],
        queue=team.queue,
        submitter_email=email,
        description=description.strip(),
    )
    due = deadlines(ticket, subdivision)
    TicketContext.objects.create(
        ticket=ticket,
        first_response_due=due.first_response,
        resolution_due=due.resolution,
        category=category,
        tier=team.tier,
        subdivision=subdivision,
        person=person,
        application=application[:100],
        page=page[:500],
        function=function[:300],
    )
    if attachments:
        _attach(
            FollowUp.objects.create(
                ticket=ticket,
                title=_("Pièces jointes de la demande"),
                comment="",
                public=True,
                user=person.user if person else None,
            ),
            attachments,
        )
    mailer.enqueue("assistance.tasks.send_acknowledgement", ticket.pk)
    return ticket


ATTACHMENT_EXTENSIONS = (".pdf", ".png", ".jpg", ".jpeg", ".txt", ".csv", ".xlsx")
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024


def _attachment_errors(files) -> dict:
    for f in files:
        name = f.name.lower()
        if not name.endswith(ATTACHMENT_EXTENSIONS):
            return {
                "attachment": _("« %(name)s » : formats acceptés %(formats)s.")
                % {"name": f.name, "formats": ", ".join(ATTACHMENT_EXTENSIONS)}
            }
        if f.size > ATTACHMENT_MAX_BYTES:
            return {"attachment": _("« %(name)s » dépasse 5 Mo.") % {"name": f.name}}
    return {}


def _attach(followup: FollowUp, files) -> None:
    for f in files:
        FollowUpAttachment.objects.create(
            followup=followup,
            file=f,
            filename=f.name[:1000],
            mime_type=getattr(f, "content_type", "") or "application/octet-stream",
            size=f.size,
        )


# --- tiers and assignment: every move is a follow-up with its changes (the history) --


def _record(*, by, ticket: Ticket, title: str, reason: str, changes) -> None:
    followup = FollowUp.objects.create(
        ticket=ticket, title=title, comment=reason, public=False, user=by
    )
    for field, old, new in changes:
        TicketChange.objects.create(
            followup=followup, field=field, old_value=old, new_value=new
        )


def _move_to(*, by, ticket: Ticket, team: Team, title: str, reason: str) -> Ticket:
    old = ticket.queue.title
    ticket.queue = team.queue
    ticket.assigned_to = None
    ticket.save()
    TicketContext.objects.filter(ticket=ticket).update(tier=team.tier)
    _record(
        by=by,
        ticket=ticket,
        title=title,
        reason=reason,
        changes=[(MOVE_FIELD, old, team.queue.title)],
    )
    return ticket


def is_settled(ticket: Ticket) -> bool:
    return ticket.status in (Ticket.RESOLVED_STATUS, Ticket.CLOSED_STATUS)


def _require_open(ticket: Ticket) -> None:
    """A resolved or closed request keeps its team: reopened (the person replies), it
    may move again."""
    if is_settled(ticket):
        raise ValidationError(
            _("Cette demande est résolue ou close : elle ne change plus de niveau.")
        )


@transaction.atomic
def ticket_escalate(*, by, ticket: Ticket, reason: str) -> Ticket:
    """Level 1 hands the request to level 2 (UNESS), saying why."""
    permissions.require_handles(by, ticket)
    _require_open(ticket)
    if not reason.strip():
        raise ValidationError({"reason": _("Dites pourquoi vous escaladez.")})
    if ticket.queue.team.tier == Tier.LEVEL_2:
        raise ValidationError(_("La demande est déjà au niveau 2."))
    TicketContext.objects.filter(ticket=ticket).update(escalated=True)
    return _move_to(
        by=by,
        ticket=ticket,
        team=level_2_team(),
        title=_("Escaladée au niveau 2"),
        reason=reason.strip(),
    )


@transaction.atomic
def ticket_deescalate(*, by, ticket: Ticket, reason: str) -> Ticket:
    """Level 2 sends the request back to the level-1 team its route names."""
    permissions.require_handles(by, ticket)
    _require_open(ticket)
    if ticket.queue.team.tier != Tier.LEVEL_2:
        raise ValidationError(_("La demande n'est pas au niveau 2."))
    if not reason.strip():
        raise ValidationError(
            {
                "reason": _(
                    "Le motif du renvoi est obligatoire : dites au niveau 1 ce qu'il "
                    "reste à faire."
                )
            }
        )
    context = ticket.siimop
    route = Route.objects.filter(
        subdivision=context.subdivision, category=context.category
    ).first()
    if route is None:
        raise ValidationError(_("Aucune équipe de niveau 1 pour cette demande."))
    return _move_to(
        by=by,
        ticket=ticket,
        team=route.team,
        title=_("Renvoyée au niveau 1"),
        reason=reason.strip(),
    )


@transaction.atomic
def ticket_prioritize(*, by, ticket: Ticket, priority: int, reason: str = "") -> Ticket:
    """Sets the priority; the targets follow it (counted from the filing)."""
    permissions.require_handles(by, ticket)
    labels = dict(Ticket.PRIORITY_CHOICES)
    if priority not in labels:
        raise ValidationError({"priority": _("Priorité inconnue.")})
    if priority == ticket.priority:
        raise ValidationError({"priority": _("La demande a déjà cette priorité.")})
    old = labels[ticket.priority]
    ticket.priority = priority
    ticket.save()
    due = deadlines(ticket)
    TicketContext.objects.filter(ticket=ticket).update(
        first_response_due=due.first_response, resolution_due=due.resolution
    )
    _record(
        by=by,
        ticket=ticket,
        title=_("Priorité changée"),
        reason=reason.strip(),
        changes=[(_("Priorité"), str(old), str(labels[priority]))],
    )
    return ticket


@transaction.atomic
def ticket_reassign(
    *, by, ticket: Ticket, team: Team | None = None, assignee=None, reason: str = ""
) -> Ticket:
    """To another team, or to a colleague (who must see the request)."""
    permissions.require_handles(by, ticket)
    if team is not None and team.pk != ticket.queue.team.pk:
        return _move_to(
            by=by,
            ticket=ticket,
            team=team,
            title=_("Confiée à une autre équipe"),
            reason=reason.strip(),
        )
    if assignee is None:
        raise ValidationError(_("Choisissez une équipe ou un collègue."))
    if not permissions.handles(assignee, ticket):
        raise ValidationError(
            {
                "assignee": _(
                    "Ce collègue ne fait pas partie d'une équipe de la demande."
                )
            }
        )
    old = ticket.assigned_to.get_username() if ticket.assigned_to else "—"
    ticket.assigned_to = assignee
    ticket.save()
    _record(
        by=by,
        ticket=ticket,
        title=_("Confiée à un collègue"),
        reason=reason.strip(),
        changes=[(_("Confiée à"), old, assignee.get_username())],
    )
    return ticket


# --- canned answers and answers ------------------------------------------------------


@transaction.atomic
def canned_answer_save(*, by, name: str, body: str, team: Team | None) -> PreSetReply:
    """A national answer (team None: UNESS admins and level 2) or a team's own (its
    agents)."""
    permissions.require_writes_answers(by, team)
    if not name.strip() or not body.strip():
        raise ValidationError(_("Une réponse type a un nom et un texte."))
    reply = PreSetReply.objects.create(name=name.strip()[:100], body=body.strip())
    if team is not None:
        reply.queues.add(team.queue)
    return reply


def _measure(ticket: Ticket, *, answered: bool = False, resolved: bool = False):
    """Records the first answer and the resolution, in working hours since filing."""
    now = timezone.now()
    hours = hours_since(ticket.created, now, ticket_calendar(ticket))
    contexts = TicketContext.objects.filter(ticket=ticket)
    if answered:
        contexts.filter(first_answer_at__isnull=True).update(
            first_answer_at=now, first_response_hours=hours
        )
    if resolved:
        contexts.filter(resolved_at__isnull=True).update(
            resolved_at=now, resolution_hours=hours
        )


@transaction.atomic
def answer_send(*, by, ticket: Ticket, text: str, resolve: bool = False) -> FollowUp:
    """An agent's public answer (a canned answer edited or not), which may mark the
    request resolved; the person is e-mailed."""
    permissions.require_handles(by, ticket)
    if not text.strip():
        raise ValidationError({"text": _("La réponse est vide.")})
    if resolve and is_settled(ticket):
        raise ValidationError(_("Cette demande est déjà résolue."))
    followup = FollowUp.objects.create(
        ticket=ticket,
        title=_("Demande résolue") if resolve else _("Réponse de l'assistance"),
        comment=text.strip(),
        public=True,
        user=by,
        new_status=Ticket.RESOLVED_STATUS if resolve else None,
    )
    if resolve:
        ticket.status = Ticket.RESOLVED_STATUS
        ticket.resolution = text.strip()
        ticket.save()
    _measure(ticket, answered=True, resolved=resolve)
    mailer.enqueue("assistance.tasks.send_answer", followup.pk)
    return followup


# --- the person asking: reply and close ----------------------------------------------


@transaction.atomic
def request_reply(*, by, ticket: Ticket, text: str, attachments=()) -> FollowUp:
    """The person adds to her request; a resolved or closed one is reopened."""
    permissions.require_own_request(by, ticket)
    errors = _attachment_errors(attachments)
    if not text.strip():
        errors["text"] = _("Votre message est vide.")
    if errors:
        raise ValidationError(errors)
    reopen = ticket.status in (Ticket.RESOLVED_STATUS, Ticket.CLOSED_STATUS)
    followup = FollowUp.objects.create(
        ticket=ticket,
        title=_("Message du demandeur"),
        comment=text.strip(),
        public=True,
        user=by,
        new_status=Ticket.REOPENED_STATUS if reopen else None,
    )
    if reopen:
        ticket.status = Ticket.REOPENED_STATUS
        ticket.save()
    _attach(followup, attachments)
    return followup


@transaction.atomic
def request_close(*, by, ticket: Ticket) -> Ticket:
    """The person says her request is settled."""
    permissions.require_own_request(by, ticket)
    if ticket.status == Ticket.CLOSED_STATUS:
        raise ValidationError(_("Cette demande est déjà close."))
    FollowUp.objects.create(
        ticket=ticket,
        title=_("Close par le demandeur"),
        comment="",
        public=True,
        user=by,
        new_status=Ticket.CLOSED_STATUS,
    )
    ticket.status = Ticket.CLOSED_STATUS
    ticket.save()
    _measure(ticket, resolved=True)
    return ticket


# --- campaign periods for the statistics (UNESS admins) ------------------------------


@transaction.atomic
def period_save(*, by, period: Period | None, name: str, start, end) -> Period:
    permissions.require_sets_periods(by)
    Period(start=start, end=end).clean()
    duplicate = Period.objects.filter(name=name.strip())
    if period is not None:
        duplicate = duplicate.exclude(pk=period.pk)
    if duplicate.exists():
        raise ValidationError({"name": _("Une période porte déjà ce nom.")})
    period = period or Period()
    period.name, period.start, period.end = name.strip(), start, end
    period.save()
    return period


@transaction.atomic
def period_delete(*, by, period: Period) -> None:
    permissions.require_sets_periods(by)
    period.delete()
