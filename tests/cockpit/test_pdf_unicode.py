"""Official PDFs print names and French text exactly as typed (issue 18, item 10).

The shared maker used a Latin-1 core font: "cœur" came out "coeur", "Łódź" as "?ód?".
It now embeds DejaVu Sans; every text read back from the PDF is the text given, be it
drawn by the shared maker, a resident's certificate or an ARS decision letter.
"""

import io
import re
import unicodedata

import pytest
from pypdf import PdfReader

from domains.accreditation import documents as accreditation_documents
from domains.accreditation import services as accreditation_services
from domains.cockpit.pdf import OfficialDocument
from domains.residents.documents import document_issue
from tests.factories.accreditation import make_world
from tests.factories.residents import make_resident

NAMES = "Œuvre, cœur, Ægir, Łódź, Nguyễn"


def read_back(content: bytes) -> str:
    """The PDF's text, its line breaks and runs of plain spaces made one space (a
    narrow no-break space stays what it is)."""
    reader = PdfReader(io.BytesIO(content))
    return re.sub(
        r"[ \n]+", " ", " ".join(page.extract_text() for page in reader.pages)
    )


def test_the_shared_maker_prints_every_sign_as_typed():
    pdf = OfficialDocument(f"Attestation — {NAMES}", subtitle="Faculté de Besançon")
    pdf.title_block()
    pdf.heading("Mœurs et « guillemets » : l’apostrophe…")
    pdf.paragraph(f"Né(e) à {NAMES}, le 1er\u202fjanvier.")
    pdf.table(["Nom", "Ville"], [["Nguyễn Œdipe", "Łódź"]], [95, 95])
    text = read_back(bytes(pdf.output()))
    assert "RÉPUBLIQUE FRANÇAISE — SIIMOP" in text
    assert f"Attestation — {NAMES}" in text  # the bold title
    assert "Mœurs et « guillemets » : l’apostrophe…" in text
    assert f"Né(e) à {NAMES}, le 1er\u202fjanvier." in text
    assert "Nguyễn Œdipe Łódź" in text  # the table's cells
    assert "Oeuvre" not in text and "coeur" not in text


def test_the_font_travels_inside_the_pdf():
    """A clean machine without fonts reads the same: DejaVu Sans is embedded."""
    pdf = OfficialDocument("Attestation")
    pdf.paragraph(NAMES)
    page = PdfReader(io.BytesIO(bytes(pdf.output()))).pages[0]
    fonts = [font.get_object() for font in page["/Resources"]["/Font"].values()]
    assert fonts
    for font in fonts:
        assert "DejaVuSans" in font["/BaseFont"]
        descendant = font["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"]


def test_accents_typed_as_combining_signs_print_as_the_letter():
    """ "ễ" pasted as e + circumflex + tilde is drawn with the font's own "ễ"."""
    decomposed = unicodedata.normalize("NFD", "Nguyễn Łódź")
    assert len(decomposed) > len("Nguyễn Łódź")
    pdf = OfficialDocument("Attestation")
    pdf.paragraph(decomposed)
    assert "Nguyễn Łódź" in read_back(bytes(pdf.output()))


@pytest.mark.django_db
def test_a_resident_certificate_carries_her_exact_name():
    resident = make_resident(first_name="Nguyễn", last_name="Œdipe-Łódź")
    content, document = document_issue(
        resident=resident, kind="enrolment", by=resident.person.user
    )
    text = read_back(content)
    assert "Certificat d'inscription" in text
    assert "Nguyễn ŒDIPE-ŁÓDŹ" in text  # the family name in capitals, as printed
    assert document.code in text
    assert document.summary.endswith("Nguyễn ŒDIPE-ŁÓDŹ")  # what /verifier/ shows


@pytest.mark.django_db
def test_the_commission_pack_and_the_decision_letter_carry_the_exact_names():
    w = make_world()
    person = w.rts.person
    person.first_name, person.last_name = "Łukasz", "Nguyễn-Cœur"
    person.save()
    w.site.name = "Unité Œdipe — cœur"
    w.site.save()
    accreditation_request = w.filed()
    w.close_filing()
    for by, comment in [
        (w.coordinator, "Encadrement de Mme Ægir Nguyễn, cœur de l’équipe."),
        (w.representative, "Œuvre d’équipe ; gardes à Łódź."),
    ]:
        accreditation_services.opinion_give(
            by=by,
            accreditation_request=accreditation_request,
            value="favourable",
            comment=comment,
        )
    accreditation_request = w.to_commission(accreditation_request, opinions=False)
    pack = read_back(
        accreditation_documents.commission_pack(w.campaign, [accreditation_request])
    )
    assert "Unité Œdipe — cœur" in pack
    # the opinions side by side, drawn by documents.py itself
    assert "Encadrement de Mme Ægir Nguyễn, cœur de l’équipe." in pack
    assert "Œuvre d’équipe ; gardes à Łódź." in pack
    accreditation_services.proposal_record(
        by=w.ars, accreditation_request=accreditation_request, outcome="granted"
    )
    accreditation_services.decision_record(
        by=w.ars, accreditation_request=accreditation_request
    )
    accreditation_request.refresh_from_db()
    letter = read_back(accreditation_documents.decision_letter(accreditation_request))
    assert "Unité Œdipe — cœur" in letter
    assert "Responsable du terrain : Łukasz NGUYỄN-CŒUR." in letter
