"""The choice sessions' pages beyond the generic screen: the session's simulation for
the ARS (its detail), and the resident's wishes (Mes vœux)."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from domains.cockpit.views import door, errors_text, save_form
from domains.referential.selectors import perimeter_subdivisions
from domains.residents.models import Resident

from . import session_selectors, session_services
from .forms import PreChoiceAddForm, WishAddForm, WishesUntilForm
from .models import PreChoice
from .selectors import coming_semester


def session_context(request, session) -> dict:
    """The whole simulation, in call-list order; the posts nobody ranks; the residents
    left without a post; how many have ranked nothing yet."""
    posts = {p.id: p for p in session_selectors.session_posts(session.call_list)}
    people = session_selectors.participants(session.call_list)
    wishes = session_selectors.wishes_of(session)
    residents = {
        r.pk: r
        for r in Resident.objects.filter(
            pk__in=[p.resident_id for p in people]
        ).select_related("person")
    }
    assignments = session.simulation.get("assignments", {})
    rows = []
    for person in people:
        post = posts.get(assignments.get(str(person.resident_id), ""))
        rows.append(
            {
                "rank": person.position,
                "resident": residents[person.resident_id],
                "supernumerary": person.supernumerary,
                "wishes": len(wishes.get(person.resident_id, [])),
                "post": post,
            }
        )
    wished = {w for ranked in wishes.values() for w in ranked}
    # Seats each post would fill (supernumeraries take none).
    taken: dict[str, int] = {}
    kinds = {str(p.resident_id): p.supernumerary for p in people}
    for resident_id, post_id in assignments.items():
        if kinds.get(resident_id) is None:
            taken[post_id] = taken.get(post_id, 0) + 1
    return {
        "rows": rows,
        "unwanted": [p for p in posts.values() if p.id not in wished],
        "seats_rows": [
            (p, taken.get(p.id, 0), p.seats - taken.get(p.id, 0))
            for p in posts.values()
        ],
        "without_post": [r for r in rows if r["post"] is None],
        "silent": sum(1 for r in rows if not r["wishes"]),
        "posts_count": len(posts),
        "seats": sum(p.seats for p in posts.values()),
        "postpone_form": WishesUntilForm(request=request)
        if request.actor.has_perm("choices.change_choicesession")
        else None,
    }


NO_SESSION = gettext_lazy("Aucun amphi de choix n'est ouvert pour vous ce semestre.")
NO_PRE_CHOICE = gettext_lazy(
    "Vous ne choisissez pas de stage ce semestre : pas de pré-choix."
)


def _mine(request):
    found = session_selectors.my_session(request.user, coming_semester())
    if found is None:
        return None, None
    return found


def _back(request, url_name: str, refusal: str):
    messages.error(request, refusal)
    return redirect(reverse(url_name))


@door("my_wishes")
def my_wishes(request):
    """Mes vœux: her ranked wishes, what the simulation gives her and why."""
    session, resident_id = _mine(request)
    context = {"session": session}
    if session is not None:
        posts = session_selectors.session_posts(session.call_list)
        ranked = session_selectors.wishes_of(session).get(resident_id, [])
        cesp = Resident.objects.filter(pk=resident_id, cesp=True).exists()
        outcomes = session_selectors.my_outcomes(session, resident_id)
        forecast = _forecast_of(session, resident_id)
        chances = forecast.get("chances", {})
        context.update(
            outcomes=outcomes,
            rows=[(o, chances.get(o.post.id)) for o in outcomes],
            simulated=session.simulation.get("assignments", {}).get(str(resident_id)),
            add_form=WishAddForm(
                request=request,
                posts=[p for p in posts if p.id not in ranked and (cesp or not p.cesp)],
            )
            if session.wishes_open
            else None,
            place=session.call_list.entries.filter(resident_id=resident_id).first(),
            posts_count=len(posts),
            forecast=forecast,
        )
    return render(request, "choices/my_wishes.html", context)


def _write(request, write, success: str, back: str):
    """Run a service for her page's button; say how it went, then back to the page."""
    form = forms.Form(data={})  # bound and empty: it carries the service's refusal
    form.is_valid()
    if save_form(form, write) is not None:
        messages.success(request, success)
    else:
        messages.error(request, errors_text(form))
    return redirect(reverse(back))


def _save(request, session, ranked: list[str], success: str):
    return _write(
        request,
        lambda: session_services.wishes_save(
            by=request.user, session=session, posts=ranked
        ),
        success,
        "cockpit:my_wishes",
    )


@door("my_wishes")
@require_POST
def my_wish_add(request):
    session, resident_id = _mine(request)
    if session is None:
        return _back(request, "cockpit:my_wishes", NO_SESSION)
    posts = session_selectors.session_posts(session.call_list)
    form = WishAddForm(request.POST, request=request, posts=posts)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect(reverse("cockpit:my_wishes"))
    ranked = session_selectors.wishes_of(session).get(resident_id, [])
    return _save(
        request,
        session,
        [*ranked, form.cleaned_data["post"]],
        _("Vœu ajouté en dernier : remontez-le si vous le préférez."),
    )


def _up(ranked: list, item) -> list:
    i = ranked.index(item)
    if i > 0:
        ranked[i - 1], ranked[i] = ranked[i], ranked[i - 1]
    return ranked


def _down(ranked: list, item) -> list:
    i = ranked.index(item)
    if i < len(ranked) - 1:
        ranked[i + 1], ranked[i] = ranked[i], ranked[i + 1]
    return ranked


# How each button changes a ranking (her wishes, her pre-choice), and what the page
# then says.
MOVES = {
    "monter": (_up, gettext_lazy("Vœu remonté d'un cran.")),
    "descendre": (_down, gettext_lazy("Vœu descendu d'un cran.")),
    "retirer": (
        lambda ranked, item: [other for other in ranked if other != item],
        gettext_lazy("Vœu retiré."),
    ),
}


@door("my_wishes")
@require_POST
def my_wish_move(request, post: str, move: str):
    if move not in MOVES:
        raise Http404
    session, resident_id = _mine(request)
    if session is None:
        return _back(request, "cockpit:my_wishes", NO_SESSION)
    ranked = list(session_selectors.wishes_of(session).get(resident_id, []))
    if post not in ranked:
        raise Http404
    change, success = MOVES[move]
    return _save(request, session, change(ranked, post), success)


def _forecast_of(session, resident_id: int) -> dict:
    """Her last forecast, per post: (chance still free, chance she gets it), with
    when it was made; nothing once her wishes changed since."""
    wish_list = session.wish_lists.filter(resident_id=resident_id).first()
    if wish_list is None or not wish_list.forecast_at:
        return {}
    if [row[0] for row in wish_list.forecast] != wish_list.posts:
        return {}  # made for another ranking: she asks again
    return {
        "at": wish_list.forecast_at,
        "chances": {post: (free, gets) for post, free, gets in wish_list.forecast},
    }


@door("my_wishes")
@require_POST
def my_wish_forecast(request):
    session, _resident_id = _mine(request)
    if session is None:
        return _back(request, "cockpit:my_wishes", NO_SESSION)
    return _write(
        request,
        lambda: session_services.wishes_forecast(by=request.user, session=session),
        _("Estimation recalculée sur 1 000 tirages."),
        "cockpit:my_wishes",
    )


# Pre-choice ---------------------------------------------------------------------


def _my_line(request):
    return session_selectors.my_pre_choice_line(request.user, coming_semester())


@door("my_pre_choice")
def my_pre_choice(request):
    """Mon pré-choix: the accredited sites she would like, before posts open."""
    line = _my_line(request)
    context = {"line": line}
    if line is not None:
        sites = session_selectors.pre_choice_sites(
            line.semester, line.subdivision, line.specialty, line.phase
        )
        by_pk = {a.pk: a for a in sites}
        choice = PreChoice.objects.filter(
            semester=line.semester, resident=line.resident
        ).first()
        ranked = [pk for pk in (choice.accreditations if choice else []) if pk in by_pk]
        context.update(
            ranked=[by_pk[pk] for pk in ranked],
            add_form=PreChoiceAddForm(
                request=request, sites=[a for a in sites if a.pk not in ranked]
            ),
            closed=session_selectors.pre_choice_closed(line),
        )
    return render(request, "choices/my_pre_choice.html", context)


def _save_pre_choice(request, line, ranked: list[int], success: str):
    return _write(
        request,
        lambda: session_services.pre_choice_save(
            by=request.user, semester=line.semester, accreditations=ranked
        ),
        success,
        "cockpit:my_pre_choice",
    )


def _ranked_pre_choice(line) -> list[int]:
    choice = PreChoice.objects.filter(
        semester=line.semester, resident=line.resident
    ).first()
    return list(choice.accreditations) if choice else []


@door("my_pre_choice")
@require_POST
def my_pre_choice_add(request):
    line = _my_line(request)
    if line is None:
        return _back(request, "cockpit:my_pre_choice", NO_PRE_CHOICE)
    sites = session_selectors.pre_choice_sites(
        line.semester, line.subdivision, line.specialty, line.phase
    )
    form = PreChoiceAddForm(request.POST, request=request, sites=sites)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect(reverse("cockpit:my_pre_choice"))
    return _save_pre_choice(
        request,
        line,
        [*_ranked_pre_choice(line), int(form.cleaned_data["accreditation"])],
        _("Terrain ajouté en dernier : remontez-le si vous le préférez."),
    )


@door("my_pre_choice")
@require_POST
def my_pre_choice_move(request, accreditation: int, move: str):
    if move not in MOVES:
        raise Http404
    line = _my_line(request)
    if line is None:
        raise Http404  # no pre-choice of hers holds that site
    ranked = _ranked_pre_choice(line)
    if accreditation not in ranked:
        raise Http404
    change, success = MOVES[move]
    return _save_pre_choice(request, line, change(ranked, accreditation), success)


@door("pre_choice_demand")
def pre_choice_demand(request):
    """Pré-choix : per DES and phase of a subdivision, the sites residents want."""
    semester = coming_semester()
    subdivisions = list(perimeter_subdivisions(request.user))
    chosen = next(
        (s for s in subdivisions if str(s.pk) == request.GET.get("subdivision")),
        subdivisions[0] if subdivisions else None,
    )
    groups = (
        session_selectors.demand_by_group(semester, chosen)
        if semester and chosen
        else []
    )
    return render(
        request,
        "choices/pre_choice_demand.html",
        {
            "semester": semester,
            "subdivisions": subdivisions,
            "subdivision": chosen,
            "groups": groups,
        },
    )
