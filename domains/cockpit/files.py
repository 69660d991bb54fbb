"""Checks shared by every upload of a PDF piece (matching files, accreditation
dossiers): the size and the PDF signature, refused with the piece's name."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_PDF_BYTES = 5 * 1024 * 1024


def pdf_check(upload, label: str, field: str = "file") -> None:
    if upload.size > MAX_PDF_BYTES:
        raise ValidationError(
            {field: _("%(label)s : 5 Mo au plus.") % {"label": label}}
        )
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-" or not upload.name.lower().endswith(".pdf"):
        raise ValidationError(
            {
                field: _("%(label)s : seul un fichier PDF est accepté.")
                % {"label": label}
            }
        )
