"""The commission's printable documents and the decision letters (fpdf2): the full
file of each request with its opinions side by side, the minutes of the session, the
DG ARS's letter."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from domains.cockpit.pdf import FONT, OfficialDocument

from .models import (
    DOSSIER_SECTIONS,
    AccreditationCampaign,
    AccreditationRequest,
    OpinionKind,
    Outcome,
)


def _site_line(accreditation_request: AccreditationRequest) -> str:
    site = accreditation_request.training_site
    return f"{site.name} — {site.establishment.name} ({site.subdivision.name})"


def _supervisor(accreditation_request: AccreditationRequest) -> str:
    supervisor = accreditation_request.supervisor
    return supervisor.full_name if supervisor else "—"


def _phases(accreditation_request: AccreditationRequest) -> str:
    return ", ".join(p.label for p in accreditation_request.phases.all())


def _opinions_side_by_side(
    pdf: OfficialDocument, accreditation_request: AccreditationRequest
):
    opinions = {o.kind: o for o in accreditation_request.opinions.all()}
    width = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    pdf.set_font(FONT, "B", 10)
    for label in ("Avis du coordonnateur", "Avis du représentant des internes"):
        pdf.cell(width, 7, label, border=1)
    pdf.ln()
    pdf.set_font(FONT, "", 9)
    texts = []
    for kind in (OpinionKind.COORDINATOR, OpinionKind.REPRESENTATIVE):
        o = opinions.get(kind)
        texts.append(
            f"{o.get_value_display()} — {o.author.full_name}\n{o.comment}"
            if o
            else "Avis non rendu."
        )
    top = pdf.get_y()
    heights = []
    for n, text in enumerate(texts):
        pdf.set_xy(pdf.l_margin + n * width, top)
        pdf.multi_cell(width, 5, text, border=1)
        heights.append(pdf.get_y())
    pdf.set_xy(pdf.l_margin, max(heights))
    pdf.ln(3)


def _request_file(
    pdf: OfficialDocument, accreditation_request: AccreditationRequest
) -> None:
    r = accreditation_request
    pdf.heading(f"Demande n° {r.pk} — {r.specialty.label}", size=13)
    pdf.paragraph(
        f"Terrain : {_site_line(r)}\n"
        f"Responsable : {_supervisor(r)}"
        f" (spécialité : {r.supervisor_specialty or '—'})\n"
        f"Agrément {r.get_type_display().lower()} — phases : {_phases(r)}"
        f" — internes au plus : {r.max_residents or '—'}"
        + (
            f"\nRenouvellement de l'agrément en vigueur jusqu'au "
            f"{accreditation_request.renewal_of.end_date:%d/%m/%Y}"
            if accreditation_request.renewal_of_id
            else ""
        ),
        size=10,
    )
    versions = list(accreditation_request.versions.all())
    last = versions[-1] if versions else None
    if last:
        pdf.paragraph(
            f"Dossier déposé — version {last.number} du "
            f"{timezone.localtime(last.submitted_at):%d/%m/%Y %H:%M}"
            f" ({len(versions)} version(s))",
            size=9,
        )
    content = last.content if last else accreditation_request.dossier()
    for key, label in DOSSIER_SECTIONS:
        pdf.heading(str(label), size=10)
        pdf.paragraph(content.get(key) or "—", size=9)
    attachments = list(accreditation_request.attachments.all())
    if attachments:
        pdf.heading("Pièces jointes", size=10)
        pdf.paragraph(
            "\n".join(
                f"- {a.get_kind_display()} : {a.title} ({a.uploaded_at:%d/%m/%Y})"
                for a in attachments
            ),
            size=9,
        )
    _opinions_side_by_side(pdf, accreditation_request)


def commission_pack(
    campaign: AccreditationCampaign,
    accreditation_requests: Iterable[AccreditationRequest],
) -> bytes:
    """The agenda per specialty, then each request's full file on its own page."""
    accreditation_requests = list(accreditation_requests)
    pdf = OfficialDocument(
        f"Commission d'agréments {campaign.year} — {campaign.region.name}",
        subtitle=f"Commission du {campaign.commission_date:%d/%m/%Y}",
    )
    pdf.title_block()
    pdf.heading("Ordre du jour")
    by_specialty: dict[str, list[AccreditationRequest]] = {}
    for r in accreditation_requests:
        by_specialty.setdefault(r.specialty.label, []).append(r)
    for specialty in sorted(by_specialty):
        pdf.heading(specialty, size=10)
        pdf.table(
            ["N°", "Terrain", "Type", "Phases"],
            [
                [
                    str(r.pk),
                    r.training_site.name,
                    r.get_type_display(),
                    _phases(r),
                ]
                for r in by_specialty[specialty]
            ],
            [15, 95, 30, 50],
        )
    for specialty in sorted(by_specialty):
        for r in by_specialty[specialty]:
            pdf.add_page()
            _request_file(pdf, r)
    return bytes(pdf.output())


def minutes(
    campaign: AccreditationCampaign,
    accreditation_requests: Iterable[AccreditationRequest],
) -> bytes:
    """The session's minutes: each proposal and its reasons, per specialty."""
    pdf = OfficialDocument(
        f"Procès-verbal — commission d'agréments {campaign.year}",
        subtitle=f"{campaign.region.name} — séance du {campaign.commission_date:%d/%m/%Y}",
    )
    pdf.title_block()
    accreditation_requests = list(accreditation_requests)
    by_specialty: dict[str, list[AccreditationRequest]] = {}
    for r in accreditation_requests:
        by_specialty.setdefault(r.specialty.label, []).append(r)
    pdf.paragraph(
        f"La commission a examiné {len(accreditation_requests)} demande(s). Ses "
        "propositions sont soumises à la décision du directeur général de l'ARS."
    )
    for specialty in sorted(by_specialty):
        pdf.heading(specialty, size=11)
        for r in by_specialty[specialty]:
            proposal = r.get_proposal_display() or "Non examinée"
            reason = f" — {r.proposal_reason}" if r.proposal_reason else ""
            pdf.paragraph(
                f"N° {r.pk}, {_site_line(r)} ({r.get_type_display().lower()}, "
                f"{_phases(r)}) : {proposal}{reason}",
                size=9,
            )
    pdf.paragraph(f"Procès-verbal établi le {timezone.localdate():%d/%m/%Y}.", size=9)
    return bytes(pdf.output())


def decision_letter(accreditation_request: AccreditationRequest) -> bytes:
    r = accreditation_request
    campaign = r.campaign
    pdf = OfficialDocument(
        f"Décision d'agrément n° {accreditation_request.pk}",
        subtitle=f"Agence régionale de santé — {campaign.region.name}",
    )
    pdf.title_block()
    accreditation = accreditation_request.accreditation
    if accreditation and accreditation_request.decision in (
        Outcome.GRANTED,
        Outcome.PROVISIONAL,
    ):
        period = (
            f" du {accreditation.start_date:%d/%m/%Y} au "
            f"{accreditation.end_date:%d/%m/%Y}"
        )
    else:
        period = ""
    pdf.paragraph(
        f"Le directeur général de l'agence régionale de santé {campaign.region.name}, "
        f"après avis de la commission d'agréments du "
        f"{campaign.commission_date:%d/%m/%Y}, décide pour le terrain de stage "
        f"{_site_line(r)}, spécialité {r.specialty.label}, agrément "
        f"{r.get_type_display().lower()} (phases : {_phases(r)}) :"
    )
    pdf.heading(f"{accreditation_request.get_decision_display()}{period}")
    if accreditation_request.decision_reason:
        pdf.paragraph(f"Motifs : {accreditation_request.decision_reason}", size=10)
    pdf.paragraph(
        f"Responsable du terrain : "
        f"{_supervisor(r)}. "
        "L'agrément est attaché au responsable : tout changement de responsable "
        "appelle une nouvelle demande.",
        size=10,
    )
    pdf.paragraph(
        f"Fait le {timezone.localtime(r.decided_at or timezone.now()):%d/%m/%Y}.",
        size=10,
    )
    return bytes(pdf.output())
