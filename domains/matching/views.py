"""Matching pages beyond the generic screen: a campaign's rounds and their dashboards,
the resident's candidacy and wishes, the supervisor's rankings, files and results."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from domains.cockpit.export import xlsx_response
from domains.cockpit.views import (
    decide,
    errors_text,
    get_record,
    get_screen,
    save_form,
    screen_url,
)

from . import services
from .forms import (
    AudienceForm,
    ComputeForm,
    FileForm,
    HearingForm,
    ManualRoundForm,
    RankingForm,
    WishesForm,
)
from .models import FILE_ATTRIBUTE, Candidacy, MatchingRound, MatchResult, RoundStatus
from .selectors import (
    applicants,
    candidacies_of,
    explanations,
    may_see_file,
    not_applied,
    not_ranked,
    offers_for,
    results_rows,
    round_dashboard,
    supervised_offers,
)

SLUG = "campagnes-appariement"


def _confirmations(user, matching_round: MatchingRound) -> dict[str, str]:
    """What each action on the round asks before it runs, with how many people it
    touches, counted as its service counts them (the same selectors and querysets)."""
    said = {}
    if matching_round.status == RoundStatus.PREPARATION:
        n = not_applied(user, matching_round).count()
        said["candidates"] = ngettext(
            "Relancer par e-mail l'interne qui n'a pas validé ses vœux ?",
            "Relancer par e-mail les %(n)d internes qui n'ont pas validé leurs vœux ?",
            n,
        ) % {"n": n}
        n = not_ranked(user, matching_round).count()
        said["supervisors"] = ngettext(
            "Relancer par e-mail les responsables du poste dont le classement est "
            "attendu ?",
            "Relancer par e-mail les responsables des %(n)d postes dont le classement "
            "est attendu ?",
            n,
        ) % {"n": n}
    candidacies = matching_round.candidacies
    if matching_round.status != RoundStatus.PUBLISHED and not matching_round.manual:
        n = candidacies.filter(submitted_at__isnull=False).count()
        posts = matching_round.offers.count()
        said["compute"] = " ".join(
            [
                ngettext(
                    "Calculer l'appariement de l'interne aux vœux validés",
                    "Calculer l'appariement des %(n)d internes aux vœux validés",
                    n,
                )
                % {"n": n},
                ngettext("sur %(n)d poste ?", "sur %(n)d postes ?", posts)
                % {"n": posts},
                _("Les vœux et les classements sont figés tels qu'ils sont."),
            ]
        )
    if matching_round.status == RoundStatus.COMPUTED:
        n = candidacies.count()
        said["publish"] = ngettext(
            "Publier ce résultat ? L'interne concerné et les responsables des postes "
            "seront prévenus par e-mail ; il n'y aura plus de recalcul.",
            "Publier ce résultat ? Les %(n)d internes concernés et les responsables "
            "des postes seront prévenus par e-mail ; il n'y aura plus de recalcul.",
            n,
        ) % {"n": n}
    if matching_round.manual and matching_round.status != RoundStatus.PUBLISHED:
        n = candidacies.count()
        undecided = candidacies.filter(result__isnull=True).count()
        said["hearing_publish"] = ngettext(
            "Publier l'affectation de l'interne entendu ? L'interne et les "
            "responsables seront prévenus par e-mail.",
            "Publier les affectations des %(n)d internes entendus ? Chacun et les "
            "responsables seront prévenus par e-mail.",
            n,
        ) % {"n": n}
        if undecided:
            said["hearing_publish"] += " " + ngettext(
                "%(n)d interne sans décision sera publié sans poste.",
                "%(n)d internes sans décision seront publiés sans poste.",
                undecided,
            ) % {"n": undecided}
    return said


def campaign_context(request, campaign) -> dict:
    screen = get_screen(SLUG)
    manage = request.actor.can(screen, "change", campaign) and request.actor.has_perm(
        "matching.add_matchingcampaign"
    )
    rounds = list(campaign.rounds.select_related("published_run"))
    dashboards = [
        round_dashboard(request.user, r, last=r is rounds[-1]) for r in rounds
    ]
    for dashboard in dashboards:
        dashboard.confirm = _confirmations(request.user, dashboard.round)
    return {
        "dashboards": dashboards,
        "may_manage": manage,
        "may_remind": request.actor.has_perm("matching.change_candidacy"),
        "round_form": ManualRoundForm(request=request) if manage else None,
        "compute_form": ComputeForm(request=request) if manage else None,
    }


def _round(request, pk: int, number: int, action: str) -> MatchingRound:
    campaign = get_record(request, get_screen(SLUG), pk, action)
    return get_object_or_404(campaign.rounds, number=number)


def _manage(request, pk: int):
    if not request.actor.has_perm("matching.add_matchingcampaign"):
        raise PermissionDenied(_("Seule l'ARS conduit une campagne d'appariement."))
    return get_record(request, get_screen(SLUG), pk, "change")


def _managed_round(request, pk: int, number: int) -> MatchingRound:
    return get_object_or_404(_manage(request, pk).rounds, number=number)


@login_required
@require_http_methods(["POST"])
def round_create(request, pk: int):
    campaign = _manage(request, pk)
    form = ManualRoundForm(request.POST, request=request)
    return decide(
        request,
        get_screen(SLUG),
        pk,
        lambda: services.round_create(
            by=request.user, campaign=campaign, **form.cleaned_data
        ),
        _("Tour ouvert : les internes concernés et les postes sont prêts."),
        form=form,
    )


@login_required
@require_http_methods(["POST"])
def round_remind(request, pk: int, number: int):
    if not request.actor.has_perm("matching.change_candidacy"):
        raise PermissionDenied
    matching_round = _round(request, pk, number, "view")
    form = AudienceForm(request.POST, request=request)
    count = form.is_valid() and save_form(
        form,
        lambda: services.reminders_send(
            by=request.user,
            matching_round=matching_round,
            audience=form.cleaned_data["audience"],
        ),
    )
    if count is None or count is False:
        messages.error(request, errors_text(form))
    else:
        messages.success(
            request,
            ngettext(
                "%(n)s relance envoyée par e-mail.",
                "%(n)s relances envoyées par e-mail.",
                count,
            )
            % {"n": count},
        )
    return redirect(screen_url(get_screen(SLUG), "detail", pk=pk))


@login_required
@require_http_methods(["POST"])
def round_compute(request, pk: int, number: int):
    matching_round = _managed_round(request, pk, number)
    form = ComputeForm(request.POST, request=request)
    return decide(
        request,
        get_screen(SLUG),
        pk,
        lambda: services.run_start(
            by=request.user,
            matching_round=matching_round,
            exact=form.cleaned_data["exact"],
        ),
        _(
            "Calcul lancé sur les vœux et classements figés ; son avancement s'affiche ici."
        ),
        form=form,
    )


def _run(matching_round, run_pk):
    return get_object_or_404(matching_round.runs, pk=run_pk)


@login_required
@require_http_methods(["POST"])
def run_replay(request, pk: int, number: int, run_pk: int):
    run = _run(_managed_round(request, pk, number), run_pk)
    return decide(
        request,
        get_screen(SLUG),
        pk,
        lambda: services.run_replay(by=request.user, run=run),
        _("Rejeu lancé : il dira si le résultat est identique."),
    )


@login_required
@require_http_methods(["POST"])
def run_publish(request, pk: int, number: int, run_pk: int):
    matching_round = _managed_round(request, pk, number)
    run = _run(matching_round, run_pk)
    return decide(
        request,
        get_screen(SLUG),
        pk,
        lambda: services.round_publish(
            by=request.user, matching_round=matching_round, run=run
        ),
        _("Résultats publiés : chaque interne et chaque responsable est prévenu."),
    )


@login_required
@require_http_methods(["POST"])
def hearing_decide(request, pk: int, number: int):
    matching_round = _managed_round(request, pk, number)
    form = HearingForm(request.POST, request=request)

    def write():
        data = form.cleaned_data
        candidacy = get_object_or_404(matching_round.candidacies, pk=data["candidacy"])
        offer = (
            get_object_or_404(matching_round.offers, pk=data["offer"])
            if data["offer"]
            else None
        )
        return services.manual_assign(
            by=request.user, candidacy=candidacy, offer=offer, note=data["note"]
        )

    return decide(
        request, get_screen(SLUG), pk, write, _("Affectation enregistrée."), form=form
    )


@login_required
@require_http_methods(["POST"])
def hearing_publish(request, pk: int, number: int):
    matching_round = _managed_round(request, pk, number)
    return decide(
        request,
        get_screen(SLUG),
        pk,
        lambda: services.manual_round_publish(
            by=request.user, matching_round=matching_round
        ),
        _("Résultats publiés : chaque interne et chaque responsable est prévenu."),
    )


@login_required
@require_http_methods(["POST"])
def result_correct(request, pk: int, number: int):
    matching_round = _managed_round(request, pk, number)
    form = HearingForm(request.POST, request=request)

    def write():
        data = form.cleaned_data
        result = get_object_or_404(
            MatchResult, round=matching_round, candidacy_id=data["candidacy"]
        )
        offer = (
            get_object_or_404(matching_round.offers, pk=data["offer"])
            if data["offer"]
            else None
        )
        return services.result_correct(
            by=request.user, result=result, offer=offer, note=data["note"]
        )

    return decide(
        request,
        get_screen(SLUG),
        pk,
        write,
        _(
            "Résultat corrigé : le stage de l'interne est mis à jour dans son parcours "
            "et l'interne est prévenu(e) par e-mail."
        ),
        form=form,
    )


@login_required
def round_results(request, pk: int, number: int):
    matching_round = _round(request, pk, number, "view")
    if matching_round.status != RoundStatus.PUBLISHED:
        messages.error(request, _("Les résultats de ce tour ne sont pas publiés."))
        return redirect(screen_url(get_screen(SLUG), "detail", pk=pk))
    return xlsx_response(
        f"appariement-tour-{matching_round.number}",
        f"Tour {matching_round.number}",
        ["Nom", "Prénom", "Subdivision", "Terrain", "Établissement", "DES", "Résultat"],
        results_rows(request.user, matching_round),
    )


# --- the resident ------------------------------------------------------------------


def _my_candidacy(request, candidacy_pk: int) -> Candidacy:
    return get_object_or_404(candidacies_of(request.user), pk=candidacy_pk)


@login_required
def my_matching(request):
    """Mon appariement: her file, her wishes, then her result and its explanation."""
    return _my_matching_page(request)


def _my_matching_page(request, refused: dict | None = None):
    """The page; a refused wishes form comes back as she filled it in."""
    if not request.actor.has_perm("matching.add_wish"):
        raise PermissionDenied(_("Cette page est celle des internes."))
    refused = refused or {}
    items = []
    for candidacy in candidacies_of(request.user):
        matching_round = candidacy.round
        current = dict(candidacy.wishes.values_list("offer_id", "hearts"))
        items.append(
            {
                "candidacy": candidacy,
                "round": matching_round,
                "open": matching_round.wishes_are_open(),
                "wishes_form": refused.get(candidacy.pk)
                or WishesForm(
                    request=request, offers=list(offers_for(candidacy)), current=current
                ),
                "file_form": FileForm(request=request),
                "wish_count": sum(1 for v in current.values() if v > 0),
                "result": getattr(candidacy, "result", None)
                if matching_round.status == RoundStatus.PUBLISHED
                else None,
                "explanations": explanations(candidacy),
            }
        )
    return render(request, "matching/my_matching.html", {"items": items})


@login_required
@require_http_methods(["POST"])
def my_file(request, candidacy_pk: int):
    candidacy = _my_candidacy(request, candidacy_pk)
    form = FileForm(request.POST, request.FILES, request=request)
    if form.is_valid() and save_form(
        form,
        lambda: services.candidacy_file_set(
            by=request.user,
            candidacy=candidacy,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
        ),
    ):
        messages.success(request, _("Pièce déposée."))
    else:
        messages.error(request, errors_text(form))
    return redirect(reverse("cockpit:my_matching"))


@login_required
@require_http_methods(["POST"])
def my_wishes(request, candidacy_pk: int):
    candidacy = _my_candidacy(request, candidacy_pk)
    offers = list(offers_for(candidacy))
    form = WishesForm(request.POST, request=request, offers=offers, current={})
    if form.is_valid() and save_form(
        form,
        lambda: services.wishes_submit(
            by=request.user, candidacy=candidacy, hearts=form.hearts()
        ),
    ):
        messages.success(
            request,
            _("Vos vœux sont enregistrés ; modifiables jusqu'à la clôture."),
        )
        return redirect(reverse("cockpit:my_matching"))
    # The form comes back with its error summary: no second alert saying the same.
    return _my_matching_page(request, refused={candidacy.pk: form})


# --- the supervisor ------------------------------------------------------------------


@login_required
def rankings(request):
    if not request.actor.has_perm("matching.add_rank"):
        raise PermissionDenied
    return render(
        request, "matching/rankings.html", {"offers": supervised_offers(request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def ranking(request, offer_pk: int):
    if not request.actor.has_perm("matching.add_rank"):
        raise PermissionDenied
    offer = get_object_or_404(supervised_offers(request.user), pk=offer_pk)
    candidates = list(applicants(offer))
    form = RankingForm(request.POST or None, request=request, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        saved = save_form(
            form,
            lambda: services.ranking_submit(
                by=request.user, offer=offer, ranks=form.ranks()
            ),
        )
        if saved:
            messages.success(request, _("Classement enregistré."))
            return redirect(reverse("cockpit:matching_ranking", args=[offer.pk]))
    return render(
        request,
        "matching/ranking.html",
        {"offer": offer, "form": form, "open": offer.round.ranking_is_open()},
    )


@login_required
def candidacy_file(request, candidacy_pk: int, piece: str):
    candidacy = get_object_or_404(
        Candidacy.objects.select_related("resident__person", "round"), pk=candidacy_pk
    )
    if piece not in FILE_ATTRIBUTE or not may_see_file(request.user, candidacy):
        raise Http404
    field = getattr(candidacy, FILE_ATTRIBUTE[piece])
    if not field:
        raise Http404(_("Pièce non déposée."))
    return FileResponse(
        field.open("rb"),
        as_attachment=True,
        filename=f"{piece}-{candidacy.resident.person.last_name}.pdf",
        content_type="application/pdf",
    )
