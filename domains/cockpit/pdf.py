"""The platform's printable documents, with fpdf2 (pure Python, from PyPI alone):
the official header, a title, paragraphs, tables. Domains subclass for their footer
(a verification code, a page number…).

Text prints as typed — "Œuvre", "Łódź", "Nguyễn" — in DejaVu Sans, a Unicode TrueType
font embedded (subset) in each PDF. The font files live in fonts/ with their licence;
fonts/README.md says why DejaVu Sans and not the State's Marianne."""

import unicodedata
from pathlib import Path

from fpdf import FPDF

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "dejavu-sans"  # the family every text of an official document is set in


class OfficialDocument(FPDF):
    def __init__(self, title: str, subtitle: str = ""):
        super().__init__(format="A4")
        self.add_font(FONT, "", FONTS / "DejaVuSans.ttf")
        self.add_font(FONT, "B", FONTS / "DejaVuSans-Bold.ttf")
        self.set_font(FONT, "", 11)
        self.doc_title = title
        self.subtitle = subtitle or "Système d'information des internes (UNESS)"
        self.set_auto_page_break(auto=True, margin=25)
        self.add_page()

    def normalize_text(self, text: str) -> str:
        """Every text drawn goes through here: composed (NFC) so that an "ễ" typed
        as e + two combining accents prints with the font's own precomposed glyph."""
        return super().normalize_text(unicodedata.normalize("NFC", str(text)))

    def header(self):
        self.set_font(FONT, "B", 11)
        self.cell(
            0,
            6,
            "RÉPUBLIQUE FRANÇAISE — SIIMOP",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        self.set_font(FONT, "", 9)
        self.cell(0, 5, self.subtitle, new_x="LMARGIN", new_y="NEXT")
        self.ln(6)

    def footer(self):
        self.set_y(-15)
        self.set_font(FONT, "", 8)
        self.cell(0, 5, f"{self.doc_title} — page {self.page_no()}", align="C")

    def title_block(self, text: str | None = None):
        self.set_font(FONT, "B", 15)
        self.multi_cell(0, 8, text or self.doc_title, new_x="LMARGIN", new_y="NEXT")
        self.ln(4)
        self.set_font(FONT, "", 11)

    def _wrapped_row(self, texts: list[str], widths: list[int]):
        """A row whose text is longer than its column: each cell wrapped on as many
        lines as it needs (never cut), the row kept whole on one page."""
        line = 5
        height = line * max(
            len(
                self.multi_cell(
                    width, line, text, align="L", dry_run=True, output="LINES"
                )
            )
            for text, width in zip(texts, widths, strict=True)
        )
        if self.will_page_break(height):
            self.add_page()
        x, y = self.l_margin, self.get_y()
        for text, width in zip(texts, widths, strict=True):
            self.rect(x, y, width, height)
            self.set_xy(x, y)
            self.multi_cell(width, line, text, align="L", new_x="RIGHT", new_y="TOP")
            x += width
        self.set_xy(self.l_margin, y + height)

    def heading(self, text: str, size: int = 12):
        self.set_font(FONT, "B", size)
        self.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, "", 10)

    def paragraph(self, text: str, size: int = 11):
        self.set_font(FONT, "", size)
        self.multi_cell(0, size * 0.5 + 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def table(self, headings: list[str], rows: list[list[str]], widths: list[int]):
        self.set_font(FONT, "B", 9)
        for heading, width in zip(headings, widths, strict=True):
            self.cell(width, 7, heading, border=1)
        self.ln()
        self.set_font(FONT, "", 9)
        for row in rows:
            texts = [str(value) for value in row]
            fits = all(
                self.get_string_width(text) <= width - 2 * self.c_margin
                for text, width in zip(texts, widths, strict=True)
            )
            if fits:  # the common row, one line: drawn fast
                for text, width in zip(texts, widths, strict=True):
                    self.cell(width, 6, text, border=1)
                self.ln()
            else:
                self._wrapped_row(texts, widths)
        self.ln(3)
        self.set_font(FONT, "", 11)
