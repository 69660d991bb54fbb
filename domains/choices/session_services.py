"""Writes of the choice sessions (amphis): the ARS opens a call list's session, each
resident ranks her wishes until the deadline, and the simulation of the session is
recomputed in the same transaction as every change. The rule is amphi.py (pure)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from domains.cockpit import mailer
from domains.cockpit.audit import audited
from domains.people.permissions import require
from domains.residents.models import Resident

from . import amphi
from .models import (
    CallList,
    CallListStatus,
    ChoiceSession,
    OpeningStatus,
    PostOpening,
    SessionStatus,
    WishList,
)
from .permissions import SESSIONS, WISHES
from .session_selectors import instance, participants, session_posts

# The session's states and who moves it from one to the next (the ARS).
TRANSITIONS: dict[str, set[str]] = {
    SessionStatus.WISHES: {SessionStatus.WISHES_CLOSED},
    # Reopened (a deadline pushed back) until the amphi begins.
    SessionStatus.WISHES_CLOSED: {SessionStatus.WISHES},
}


def _ars(by, call_list: CallList) -> None:
    require(
        by,
        SESSIONS,
        [call_list.subdivision, call_list.subdivision.region],
        _("Seule l'ARS de la région organise les amphis de choix."),
    )


def simulation_recompute(session: ChoiceSession) -> amphi.Result:
    """The session's simulation from the wishes as they stand, stored on it."""
    posts, residents, _people = instance(session)
    result = amphi.simulate(posts, residents)
    session.simulation = result.as_dict()
    session.simulated_at = timezone.now()
    ChoiceSession.objects.filter(pk=session.pk).update(
        simulation=session.simulation, simulated_at=session.simulated_at
    )
    return result


@transaction.atomic
def choice_session_open(
    *, by, call_list: CallList, wishes_until: datetime
) -> ChoiceSession:
    """The residents of a published call list may rank the posts opened for them
    until `wishes_until`; each is e-mailed."""
    call_list = CallList.objects.select_for_update().get(pk=call_list.pk)
    _ars(by, call_list)
    if call_list.status == CallListStatus.DRAFT:
        raise ValidationError(
            _("Publiez la liste d'appel avant d'ouvrir la saisie des vœux.")
        )
    if ChoiceSession.objects.filter(call_list=call_list).exists():
        raise ValidationError(_("L'amphi de cette liste d'appel est déjà ouvert."))
    if not PostOpening.objects.filter(
        semester_id=call_list.semester_id,
        subdivision_id=call_list.subdivision_id,
        status=OpeningStatus.PUBLISHED,
    ).exists():
        raise ValidationError(
            _(
                "Les postes du semestre ne sont pas encore publiés dans la "
                "subdivision : les internes n'auraient rien à classer."
            )
        )
    if wishes_until <= timezone.now():
        raise ValidationError(
            {"wishes_until": _("La fin de la saisie des vœux est à venir.")}
        )
    if not session_posts(call_list):
        raise ValidationError(
            _("Aucun poste n'est ouvert pour ces DES et cette phase.")
        )
    session = ChoiceSession(
        call_list=call_list, wishes_until=wishes_until, opened_by=by
    )
    audited(session, by)
    session.save()
    simulation_recompute(session)
    mailer.enqueue("domains.choices.tasks.send_wishes_opened", session.pk)
    return session


@transaction.atomic
def choice_session_move(*, by, session: ChoiceSession, to: str) -> ChoiceSession:
    """One of TRANSITIONS, by the ARS."""
    session = ChoiceSession.objects.select_for_update().get(pk=session.pk)
    _ars(by, session.call_list)
    if to not in TRANSITIONS.get(session.status, set()):
        raise ValidationError(
            _("Un amphi « %(state)s » ne passe pas à « %(to)s ».")
            % {"state": session.get_status_display(), "to": SessionStatus(to).label}
        )
    if to == SessionStatus.WISHES and session.wishes_until <= timezone.now():
        raise ValidationError(
            _(
                "La date de fin des vœux est passée : reportez-la avant de rouvrir "
                "la saisie."
            )
        )
    session.status = to
    audited(session, by)
    session.save(update_fields=["status"])
    return session


@transaction.atomic
def choice_session_postpone(
    *, by, session: ChoiceSession, wishes_until: datetime
) -> ChoiceSession:
    """The ARS moves the end of the wishes (the session's state unchanged)."""
    session = ChoiceSession.objects.select_for_update().get(pk=session.pk)
    _ars(by, session.call_list)
    if wishes_until <= timezone.now():
        raise ValidationError(
            {"wishes_until": _("La fin de la saisie des vœux est à venir.")}
        )
    session.wishes_until = wishes_until
    audited(session, by)
    session.save(update_fields=["wishes_until"])
    return session


@transaction.atomic
def wishes_save(*, by, session: ChoiceSession, posts: list[str]) -> WishList:
    """The resident's ranked wishes (post ids, preferred first), replacing her
    previous ones; the session's simulation is recomputed with them."""
    # One change at a time per session: the simulation stored is that of every
    # wish committed (a second resident saving meanwhile waits for this one).
    session = (
        ChoiceSession.objects.select_for_update()
        .select_related("call_list__subdivision__region")
        .get(pk=session.pk)
    )
    people = {p.resident_id: p for p in participants(session.call_list)}
    resident = (
        Resident.objects.filter(person__user=by, pk__in=list(people))
        .select_related("person")
        .first()
    )
    if resident is None:
        raise PermissionDenied(_("Vous ne choisissez pas dans cet amphi."))
    require(by, WISHES, [resident.person])
    if not session.wishes_open:
        raise ValidationError(
            _("La saisie des vœux s'est close le %(date)s.")
            % {
                "date": date_format(
                    timezone.localtime(session.wishes_until), "j F Y à H:i"
                )
            }
            if session.wishes_until <= timezone.now()
            else _("La saisie des vœux est close pour cet amphi.")
        )
    offered = {p.id: p for p in session_posts(session.call_list)}
    seen: set[str] = set()
    for index, post_id in enumerate(posts, start=1):
        post = offered.get(str(post_id))
        if post is None:
            raise ValidationError(
                _("Vœu n° %(n)d : ce poste n'est pas offert dans cet amphi.")
                % {"n": index}
            )
        if post.id in seen:
            raise ValidationError(
                _("Vœu n° %(n)d : « %(post)s » est déjà classé plus haut.")
                % {"n": index, "post": post.label}
            )
        if post.cesp and not resident.cesp:
            raise ValidationError(
                _(
                    "Vœu n° %(n)d : « %(post)s » est réservé aux signataires d'un "
                    "contrat d'engagement de service public."
                )
                % {"n": index, "post": post.label}
            )
        seen.add(post.id)
    wish_list = WishList.objects.filter(
        session=session, resident=resident
    ).first() or WishList(session=session, resident=resident)
    wish_list.posts = [str(p) for p in posts]
    audited(wish_list, by)
    wish_list.save()
    simulation_recompute(session)
    return wish_list
