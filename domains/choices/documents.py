"""The semester cycle's printable documents: the needs commission's minutes, the DG
ARS's decree opening the posts (arrêté d'ouverture des postes), and a call list. Each
is also given as rows, for its XLSX twin."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from domains.cockpit.pdf import OfficialDocument
from domains.referential.models import Post

from .selectors import call_list_entries

POST_HEADERS = [
    _("DES"),
    _("Phase"),
    _("Terrain de stage"),
    _("Établissement"),
    _("Places"),
    _("Particularités"),
]


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "d/m/Y") if moment else "—"


def opening_posts(opening):
    return (
        Post.objects.filter(
            semester=opening.semester,
            training_site__subdivision=opening.subdivision,
        )
        .select_related(
            "specialty", "phase", "training_site__establishment", "coupled_with"
        )
        .prefetch_related("shared_specialties")
        .order_by("specialty__label", "phase__order", "training_site__name", "pk")
    )


def post_features(post: Post) -> str:
    """Couplé, mixte, CESP: what a resident must know of a post before choosing it."""
    features = []
    if post.coupled_with_id:
        features.append(
            _("couplé avec %(site)s") % {"site": post.coupled_with.training_site}
        )
    shared = [s.label for s in post.shared_specialties.all()]
    if shared:
        features.append(_("mixte (aussi %(des)s)") % {"des": ", ".join(shared)})
    if post.cesp_reserved:
        features.append(_("réservé CESP"))
    return " ; ".join(features)


def opening_rows(opening) -> list[list]:
    return [
        [
            post.specialty.label,
            post.phase.label,
            post.training_site.name,
            post.training_site.establishment.name,
            post.seats,
            post_features(post),
        ]
        for post in opening_posts(opening)
    ]


def _posts_table(document: OfficialDocument, rows: list[list]) -> None:
    document.table(
        [str(h) for h in POST_HEADERS],
        [[str(value) for value in row] for row in rows],
        [34, 22, 42, 42, 12, 38],
    )


def decree_pdf(opening) -> bytes:
    """The decree as signed: its number, its visas, the posts article by article."""
    document = OfficialDocument(
        _("Arrêté d'ouverture des postes — %(subdivision)s")
        % {"subdivision": opening.subdivision},
        _("Agence régionale de santé — %(region)s")
        % {"region": opening.subdivision.region},
    )
    document.title_block(
        _(
            "Arrêté n° %(number)s fixant les postes ouverts au choix des internes de la "
            "subdivision %(subdivision)s pour le semestre %(semester)s"
        )
        % {
            "number": opening.decree_reference,
            "subdivision": opening.subdivision,
            "semester": opening.semester,
        }
    )
    document.paragraph(
        _(
            "Le directeur général de l'agence régionale de santé, vu le code de "
            "l'éducation, notamment ses articles R. 632-1 et suivants ; vu l'avis de la "
            "commission de répartition des postes réunie le %(date)s ; arrête :"
        )
        % {
            "date": date_format(opening.commission_date, "d/m/Y")
            if opening.commission_date
            else "—"
        }
    )
    document.heading(_("Article 1 — Postes ouverts"))
    rows = opening_rows(opening)
    _posts_table(document, rows)
    total = sum(row[4] for row in rows)
    document.paragraph(_("Soit %(n)d places au total.") % {"n": total})
    document.heading(_("Article 2 — Exécution"))
    document.paragraph(
        _(
            "Le présent arrêté est publié sur SIIMOP et notifié aux internes concernés. "
            "Signé le %(date)s par %(who)s."
        )
        % {"date": _when(opening.signed_at), "who": opening.signed_by or "—"}
    )
    return bytes(document.output())


def minutes_pdf(opening, lines, labels, opinions) -> bytes:
    """The needs commission's minutes: needs and posts per DES and phase, the rule's
    verdict, the coordinators' opinions and what the commission noted."""
    document = OfficialDocument(
        _("Commission des besoins — %(subdivision)s")
        % {"subdivision": opening.subdivision},
        str(opening.semester),
    )
    document.title_block(
        _("Compte rendu de la commission de répartition des postes — %(semester)s")
        % {"semester": opening.semester}
    )
    document.heading(_("Besoins et postes par DES et phase"))
    document.table(
        [_("DES et phase"), _("Choisissent"), _("Requis"), _("Ouverts"), _("Règle")],
        [
            [
                labels[line.group],
                str(line.choosing),
                str(line.needed),
                str(line.opened),
                _("respectée")
                if line.met
                else ngettext(
                    "%(n)d poste manquant", "%(n)d postes manquants", line.missing
                )
                % {"n": line.missing},
            ]
            for line in lines
        ],
        [80, 24, 22, 22, 42],
    )
    document.heading(_("Avis des coordonnateurs"))
    if not opinions:
        document.paragraph(_("Aucun avis n'a été donné."))
    for opinion in opinions:
        document.paragraph(
            f"{opinion.specialty.label} : {opinion.get_opinion_display()}"
            + (f" — {opinion.comment}" if opinion.comment else "")
        )
    document.heading(_("Observations de la commission"))
    document.paragraph(opening.minutes or _("Aucune observation."))
    return bytes(document.output())


CALL_LIST_HEADERS = [
    _("Rang"),
    _("Nom"),
    _("Prénom"),
    _("Ancienneté"),
    _("Pourquoi ce rang"),
]


def call_list_rows(call_list) -> list[list]:
    """One row per place; a choice group's list also names each resident's DES."""
    entries = call_list_entries(call_list)
    return [
        [
            entry.position,
            entry.resident.person.last_name,
            entry.resident.person.first_name,
            *([entry.specialty_label] if call_list.group_id else []),
            entry.seniority,
            entry.explanation,
        ]
        for entry in entries
    ]


def call_list_headers(call_list) -> list[str]:
    headers = [str(h) for h in CALL_LIST_HEADERS]
    if call_list.group_id:
        headers.insert(3, str(_("DES")))
    return headers


def call_list_pdf(call_list) -> bytes:
    document = OfficialDocument(
        _("Liste d'appel — %(list)s") % {"list": call_list},
        _("%(semester)s — %(status)s")
        % {"semester": call_list.semester, "status": call_list.state_label},
    )
    document.title_block()
    document.paragraph(
        _(
            "Ordre d'appel : ancienneté dans la phase (semestres validés), puis "
            "classement national rendu comparable entre promotions, puis tirage au sort "
            "enregistré (graine %(seed)d). Publiée le %(date)s."
        )
        % {"seed": call_list.seed, "date": _when(call_list.published_at)}
    )
    document.table(
        call_list_headers(call_list),
        [[str(v) for v in row] for row in call_list_rows(call_list)],
        [14, 34, 30, 40, 20, 52] if call_list.group_id else [14, 40, 36, 22, 78],
    )
    return bytes(document.output())
