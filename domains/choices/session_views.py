"""The choice sessions' pages beyond the generic screen: the session's simulation for
the ARS (its detail), and the resident's wishes (Mes vœux)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from domains.cockpit.views import door, errors_text, save_form
from domains.residents.models import Resident

from . import amphi, session_selectors, session_services
from .forms import WishAddForm, WishesUntilForm
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
    return {
        "rows": rows,
        "unwanted": [p for p in posts.values() if p.id not in wished],
        "without_post": [r for r in rows if r["post"] is None],
        "silent": sum(1 for r in rows if not r["wishes"]),
        "posts_count": len(posts),
        "seats": sum(p.seats for p in posts.values()),
        "postpone_form": WishesUntilForm(request=request)
        if request.actor.has_perm("choices.change_choicesession")
        else None,
        "supernumerary_labels": {
            amphi.VALIDATING: _("surnombre validant"),
            amphi.NON_VALIDATING: _("surnombre non validant"),
        },
    }


def _mine(request):
    found = session_selectors.my_session(request.user, coming_semester())
    if found is None:
        return None, None
    return found


@door("my_wishes")
def my_wishes(request):
    """Mes vœux: her ranked wishes, what the simulation gives her and why."""
    session, resident_id = _mine(request)
    context = {"session": session}
    if session is not None:
        posts = session_selectors.session_posts(session.call_list)
        ranked = session_selectors.wishes_of(session).get(resident_id, [])
        cesp = Resident.objects.filter(pk=resident_id, cesp=True).exists()
        context.update(
            outcomes=session_selectors.my_outcomes(session, resident_id),
            simulated=session.simulation.get("assignments", {}).get(str(resident_id)),
            add_form=WishAddForm(
                request=request,
                posts=[p for p in posts if p.id not in ranked and (cesp or not p.cesp)],
            )
            if session.wishes_open
            else None,
            place=session.call_list.entries.filter(resident_id=resident_id).first(),
            posts_count=len(posts),
        )
    return render(request, "choices/my_wishes.html", context)


def _save(request, session, ranked: list[str], success: str):
    form = WishAddForm(data={}, request=request)
    form.is_valid()
    saved = save_form(
        form,
        lambda: session_services.wishes_save(
            by=request.user, session=session, posts=ranked
        ),
    )
    if saved is not None:
        messages.success(request, success)
    else:
        messages.error(request, errors_text(form))
    return redirect(reverse("cockpit:my_wishes"))


@door("my_wishes")
@require_POST
def my_wish_add(request):
    session, resident_id = _mine(request)
    if session is None:
        raise Http404
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


def _up(ranked: list[str], post: str) -> list[str]:
    i = ranked.index(post)
    if i > 0:
        ranked[i - 1], ranked[i] = ranked[i], ranked[i - 1]
    return ranked


def _down(ranked: list[str], post: str) -> list[str]:
    i = ranked.index(post)
    if i < len(ranked) - 1:
        ranked[i + 1], ranked[i] = ranked[i], ranked[i + 1]
    return ranked


# How each button changes her ranking, and what the page then says.
MOVES = {
    "monter": (_up, gettext_lazy("Vœu remonté d'un cran.")),
    "descendre": (_down, gettext_lazy("Vœu descendu d'un cran.")),
    "retirer": (
        lambda ranked, post: [p for p in ranked if p != post],
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
        raise Http404
    ranked = list(session_selectors.wishes_of(session).get(resident_id, []))
    if post not in ranked:
        raise Http404
    change, success = MOVES[move]
    return _save(request, session, change(ranked, post), success)
