"""The training catalogue's tiles on the homes: one's courses and badges. Every role
may follow a course; the resident's home always shows them, others' once they have."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from domains.cockpit.registry import Card, registry

from .selectors import badges_of, my_enrolments, progress

TRAINING = _("Formations")


def training_cards(request):
    enrolments = list(my_enrolments(request.user))
    badges = badges_of(request.user).count()
    is_resident = (
        request.actor.function is not None and request.actor.function.role == "resident"
    )
    if not (enrolments or badges or is_resident):
        return []
    ongoing = [e for e in enrolments if e.completed_at is None]
    if ongoing:
        first = progress(ongoing[0])
        description = _("%(course)s : %(percent)d %% parcouru") % {
            "course": ongoing[0].course.title,
            "percent": first.percent,
        }
    else:
        description = _("le catalogue de formations en ligne vous attend")
    return [
        Card(
            title=_("Formations en cours"),
            value=len(ongoing),
            description=description,
            url=reverse("cockpit:my_trainings"),
            group=TRAINING,
        ),
        Card(
            title=_("Mes badges"),
            value=badges,
            description=(
                ngettext(
                    "badge obtenu en terminant une formation",
                    "badges obtenus en terminant des formations",
                    badges,
                )
                if badges
                else _("terminez une formation pour obtenir votre premier badge")
            ),
            url=reverse("cockpit:my_badges"),
            group=TRAINING,
        ),
    ]


registry.register_dashboard(training_cards)
