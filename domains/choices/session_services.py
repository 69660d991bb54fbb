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
from .forecast import forecast
from .models import (
    CallList,
    CallListStatus,
    ChoiceSession,
    OpeningStatus,
    PostOpening,
    PreChoice,
    SessionStatus,
    WishList,
)
from .permissions import SESSIONS, WISHES
from .session_selectors import (
    instance,
    my_pre_choice_line,
    participants,
    pre_choice_closed,
    pre_choice_sites,
    session_demand,
    session_posts,
)

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


def simulation_recompute(
    session: ChoiceSession, people=None, offered_posts=None
) -> amphi.Result:
    """The session's simulation from the wishes as they stand, stored on it."""
    posts, residents, _people = instance(session, people, offered_posts)
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
    """The residents of a frozen call list may rank the posts opened for them until
    `wishes_until`; each is e-mailed."""
    call_list = CallList.objects.select_for_update().get(pk=call_list.pk)
    _ars(by, call_list)
    # Its order is final: contests answered, the list frozen for the choice (a list
    # still open to contests could go back to preparation under the amphi).
    if call_list.status != CallListStatus.FROZEN:
        raise ValidationError(
            _(
                "Arrêtez la liste d'appel pour le choix (contestations traitées) "
                "avant d'ouvrir la saisie des vœux."
            )
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
    """The ARS moves the end of the wishes (the session's state unchanged); each
    resident is told the new date."""
    session = ChoiceSession.objects.select_for_update().get(pk=session.pk)
    _ars(by, session.call_list)
    if wishes_until <= timezone.now():
        raise ValidationError(
            {"wishes_until": _("La fin de la saisie des vœux est à venir.")}
        )
    session.wishes_until = wishes_until
    audited(session, by)
    session.save(update_fields=["wishes_until"])
    mailer.enqueue("domains.choices.tasks.send_wishes_postponed", session.pk)
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
    people = participants(session.call_list)
    resident = (
        Resident.objects.filter(person__user=by, pk__in=[p.resident_id for p in people])
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
    offered_posts = session_posts(session.call_list)
    offered = {p.id: p for p in offered_posts}
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
    simulation_recompute(session, people, offered_posts)
    return wish_list


@transaction.atomic
def wishes_forecast(*, by, session: ChoiceSession) -> WishList:
    """Her wishes' chances (forecast.py), from the wishes entered so far and, for
    those who have entered none, the demand of the pre-choices; kept on her list."""
    wish_list = (
        WishList.objects.select_for_update()
        .filter(session=session, resident__person__user=by)
        .select_related("resident__person")
        .first()
    )
    if wish_list is None or not wish_list.posts:
        raise ValidationError(_("Classez d'abord au moins un poste."))
    require(by, WISHES, [wish_list.resident.person])
    posts, residents, _people = instance(session)
    known = {
        str(resident_id)
        for resident_id, ranked in session.wish_lists.values_list(
            "resident_id", "posts"
        )
        if ranked
    }
    chances = forecast(
        posts,
        residents,
        str(wish_list.resident_id),
        known=known,
        demand=session_demand(session) or None,
        seed=session.pk,
    )
    wish_list.forecast = [list(chance) for chance in chances]
    wish_list.forecast_at = timezone.now()
    wish_list.save(update_fields=["forecast", "forecast_at"])
    return wish_list


@transaction.atomic
def pre_choice_save(*, by, semester, accreditations: list[int]) -> PreChoice:
    """The accredited sites she would like next semester, preferred first."""
    line = my_pre_choice_line(by, semester)
    if line is None:
        raise PermissionDenied(
            _("Vous ne choisissez pas de stage ce semestre : pas de pré-choix.")
        )  # the words of session_views.NO_PRE_CHOICE
    require(by, WISHES, [line.resident.person])
    if pre_choice_closed(line):
        raise ValidationError(
            _(
                "Les postes sont publiés : le pré-choix est clos, classez maintenant "
                "les postes ouverts dans « Mes vœux »."
            )
        )
    offered = {
        a.pk: a
        for a in pre_choice_sites(
            semester, line.subdivision, line.specialty, line.phase
        )
    }
    seen: set[int] = set()
    for index, pk in enumerate(accreditations, start=1):
        if pk not in offered:
            raise ValidationError(
                _(
                    "Terrain n° %(n)d : il n'est pas agréé pour votre DES et votre "
                    "phase au début du semestre."
                )
                % {"n": index}
            )
        if pk in seen:
            raise ValidationError(
                _("Terrain n° %(n)d : « %(site)s » est déjà classé plus haut.")
                % {"n": index, "site": offered[pk].training_site}
            )
        seen.add(pk)
    choice = PreChoice.objects.filter(semester=semester, resident=line.resident).first()
    choice = choice or PreChoice(semester=semester, resident=line.resident)
    choice.accreditations = list(accreditations)
    audited(choice, by)
    choice.save()
    return choice
