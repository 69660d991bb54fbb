"""PDF documents residents ask for, with fpdf2 (pure Python, from PyPI alone).

Each document carries a verification code; the public page /verifier/<code>/ confirms
who it was issued to, what and when, and nothing more.
"""

import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from domains.cockpit.links import absolute_url
from domains.cockpit.pdf import FONT, OfficialDocument
from domains.people.models import User

from . import rules
from .models import (
    DocumentKind,
    IssuedDocument,
    PlacementMode,
    Resident,
    StageType,
    Validation,
)
from .permissions import document_issue_refusal
from .replacement import replacement_record
from .selectors import placement_facts, resident_path

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed back


def _new_code() -> str:
    return "-".join(
        "".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(3)
    )


class _Document(OfficialDocument):
    """With the verification code in the footer."""

    def __init__(self, title: str, code: str):
        self.code = code
        super().__init__(title)

    def footer(self):
        self.set_y(-20)
        self.set_font(FONT, "", 8)
        url = absolute_url("verify_document", self.code)
        self.multi_cell(
            0,
            4,
            f"Code de vérification : {self.code} — authenticité vérifiable sur {url}",
        )


def _identity_line(resident: Resident) -> str:
    person = resident.person
    born = f", né(e) le {person.birth_date:%d/%m/%Y}" if person.birth_date else ""
    return (
        f"{person.get_civility_display()} {person.first_name} {person.last_name.upper()}"
        f"{born}, interne de la subdivision {resident.subdivision.name}, "
        f"faculté : {resident.faculty.name}, promotion {resident.cohort}"
    )


def _validated_rows(path) -> list[list[str]]:
    return [
        [
            str(p.semester),
            f"{p.semester.start_date:%d/%m/%Y} - {p.semester.end_date:%d/%m/%Y}",
            p.training_site.name,
            p.specialty.label,
        ]
        for p in path.placements
        if p.validation == Validation.VALIDATED and p.mode == PlacementMode.R3C
    ]


# The types as the relevé's narrow column prints them.
_SHORT_TYPES = {
    StageType.HOSPITAL: "Hospitalier",
    StageType.AMBULATORY: "Ambulatoire",
    StageType.GENERAL_PRACTITIONER: "Médecin généraliste",
    StageType.OTHER: "Autre",
}


def _replacement(pdf: _Document, path) -> str:
    """The relevé de stages: each validated stage with its type, then each threshold
    of the Ordre for her DES, met or not, in plain French."""
    record = replacement_record(path)
    count = len(record.rows)
    plural = "s" if count > 1 else ""
    pdf.paragraph(
        f"a validé {count} stage{plural} (semestre{plural}), R3C et repris de "
        "l'historique compris :"
    )
    pdf.table(
        ["Semestre", "Dates", "Terrain de stage", "Type", "Spécialité"],
        [
            [
                f"{row.placement.semester}{' *' if row.archived else ''}",
                # A space on each side: a narrow column wraps between the dates.
                f"{row.placement.semester.start_date:%d/%m/%Y} – "
                f"{row.placement.semester.end_date:%d/%m/%Y}",
                row.placement.training_site.name,
                _SHORT_TYPES.get(row.stage_type, row.type_label),
                row.placement.specialty.label,
            ]
            for row in record.rows
        ],
        [31, 39, 48, 34, 38],  # a longer value wraps in its cell
    )
    if any(row.archived for row in record.rows):
        pdf.paragraph(
            "* stage repris de l'historique (archive), validé par la faculté de "
            "l'époque.",
            size=9,
        )
    if record.specialty is None:
        pdf.paragraph("Aucune inscription en DES : pas de seuil de l'Ordre à lire.")
        return f"Relevé de {count} stage{plural} validé{plural}"
    pdf.heading(
        f"Seuils de l'Ordre des médecins pour la licence de remplacement — DES "
        f"{record.specialty.label}"
    )
    if not record.verdicts:
        pdf.paragraph(
            f"Aucun seuil n'est enregistré pour le DES {record.specialty.label} : ce "
            "relevé ne dit pas si la licence de remplacement peut être accordée."
        )
        verdict = "aucun seuil enregistré"
    else:
        for item in record.verdicts:
            pdf.paragraph(f"{item.threshold.label} — {item.sentence}")
        if record.demo:
            pdf.paragraph(
                "Certains seuils sont des valeurs de démonstration, à confirmer "
                "auprès du Conseil de l'Ordre des médecins.",
                size=9,
            )
        verdict = "seuils atteints" if record.met else "seuils non atteints"
    return (
        f"Relevé de {count} stage{plural} validé{plural} pour la licence de "
        f"remplacement ({record.specialty.label}, {verdict})"
    )


def _build(kind: str, resident: Resident, code: str) -> tuple[bytes, str]:
    """The PDF and the one-line summary the verification page shows."""
    path = resident_path(resident)
    today = timezone.localdate()
    title = DocumentKind(kind).label
    pdf = _Document(title, code)
    pdf.title_block()
    pdf.paragraph(_identity_line(resident) + ".")
    enrolment = path.enrolment
    if kind in (DocumentKind.SEMESTERS, DocumentKind.SENIOR_ON_CALL):
        rows = _validated_rows(path)
        if kind == DocumentKind.SENIOR_ON_CALL:
            refusal = rules.senior_on_call_refusal(
                placement_facts(path.placements),
                enrolment.specialty.duration_semesters if enrolment else 0,
            )
            if enrolment is None or refusal:
                raise ValidationError(
                    "Autorisation de gardes séniors impossible : "
                    + (refusal or "aucune inscription en cours.")
                )
            pdf.paragraph(
                f"est autorisé(e) à assurer des gardes séniors : {len(rows)} semestres "
                f"validés sur les {enrolment.specialty.duration_semesters} du DES "
                f"{enrolment.specialty.label}."
            )
            summary = f"Autorisation de gardes séniors ({len(rows)} semestres validés)"
        else:
            pdf.paragraph(f"a validé {len(rows)} semestre(s) de stage :")
            summary = f"Attestation de {len(rows)} semestre(s) validé(s)"
        pdf.table(
            ["Semestre", "Dates", "Terrain de stage", "Spécialité"],
            rows,
            [30, 42, 70, 48],
        )
    elif kind == DocumentKind.REPLACEMENT:
        summary = _replacement(pdf, path)
    elif kind == DocumentKind.ENROLMENT:
        if enrolment is None:
            raise ValidationError("Aucune inscription en cours : pas de certificat.")
        phase = path.phase.phase.label if path.phase else "-"
        pdf.paragraph(
            f"est inscrit(e) au DES {enrolment.specialty.label}"
            + (
                f" ({enrolment.option_or_fst.label})"
                if enrolment.option_or_fst_id
                else ""
            )
            + f" depuis le semestre {enrolment.start_semester}, en {phase}."
        )
        summary = f"Certificat d'inscription au DES {enrolment.specialty.label}"
    else:
        current = next(
            (
                p
                for p in path.placements
                if p.semester_id == getattr(path.current_semester, "pk", None)
            ),
            None,
        )
        if current is None:
            raise ValidationError(
                "Aucun stage ce semestre : pas de certificat d'affectation."
            )
        pdf.paragraph(
            f"est affecté(e) au semestre {current.semester} "
            f"({current.semester.start_date:%d/%m/%Y} - {current.semester.end_date:%d/%m/%Y}) "
            f"sur le terrain de stage {current.training_site.name} "
            f"({current.training_site.establishment.name}), en {current.specialty.label}."
        )
        summary = f"Certificat d'affectation — {current.semester}"
    pdf.ln(6)
    pdf.paragraph(f"Fait le {today:%d/%m/%Y}, pour valoir ce que de droit.")
    return bytes(pdf.output()), summary


@transaction.atomic
def document_issue(
    *, resident: Resident, kind: str, by: User
) -> tuple[bytes, IssuedDocument]:
    """Generate the PDF and register it.

    Refused with PermissionDenied to anyone but who may issue it (permissions.py), and
    with ValidationError when the path does not allow this document.
    """
    refusal = document_issue_refusal(by, resident)
    if refusal:
        raise PermissionDenied(refusal)
    if kind not in DocumentKind.values:
        raise ValidationError(f"Document inconnu : {kind}.")
    code = _new_code()
    content, summary = _build(kind, resident, code)
    document = IssuedDocument.objects.create(
        resident=resident,
        kind=kind,
        code=code,
        summary=f"{summary} — {resident.person.full_name}",
        sha256=hashlib.sha256(content).hexdigest(),
        issued_by=by,
    )
    return content, document
