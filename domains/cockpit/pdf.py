"""The platform's printable documents, with fpdf2 (pure Python, from PyPI alone):
the official header, a title, paragraphs, tables. Domains subclass for their footer
(a verification code, a page number…)."""

from fpdf import FPDF


def latin1(text: str) -> str:
    """The PDF core fonts speak Latin-1: typographic signs are brought down to it."""
    table = {
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "—": "-",
        "–": "-",
        "→": "->",
        "œ": "oe",
        "Œ": "OE",
        "…": "...",
        "\u202f": " ",
        "\u00a0": " ",
    }
    for sign, plain in table.items():
        text = text.replace(sign, plain)
    return text.encode("latin-1", "replace").decode("latin-1")


class OfficialDocument(FPDF):
    def __init__(self, title: str, subtitle: str = ""):
        super().__init__(format="A4")
        self.doc_title = title
        self.subtitle = subtitle or "Système d'information des internes (UNESS)"
        self.set_auto_page_break(auto=True, margin=25)
        self.add_page()

    def header(self):
        self.set_font("helvetica", "B", 11)
        self.cell(
            0,
            6,
            latin1("RÉPUBLIQUE FRANÇAISE — SIIMOP"),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        self.set_font("helvetica", "", 9)
        self.cell(0, 5, latin1(self.subtitle), new_x="LMARGIN", new_y="NEXT")
        self.ln(6)

    def footer(self):
        self.set_y(-15)
        self.set_font("helvetica", "", 8)
        self.cell(0, 5, latin1(f"{self.doc_title} — page {self.page_no()}"), align="C")

    def title_block(self, text: str | None = None):
        self.set_font("helvetica", "B", 15)
        self.multi_cell(
            0, 8, latin1(text or self.doc_title), new_x="LMARGIN", new_y="NEXT"
        )
        self.ln(4)
        self.set_font("helvetica", "", 11)

    def heading(self, text: str, size: int = 12):
        self.set_font("helvetica", "B", size)
        self.multi_cell(0, 7, latin1(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font("helvetica", "", 10)

    def paragraph(self, text: str, size: int = 11):
        self.set_font("helvetica", "", size)
        self.multi_cell(
            0, size * 0.5 + 0.5, latin1(text), new_x="LMARGIN", new_y="NEXT"
        )
        self.ln(2)

    def table(self, headings: list[str], rows: list[list[str]], widths: list[int]):
        self.set_font("helvetica", "B", 9)
        for heading, width in zip(headings, widths, strict=True):
            self.cell(width, 7, latin1(heading), border=1)
        self.ln()
        self.set_font("helvetica", "", 9)
        for row in rows:
            for value, width in zip(row, widths, strict=True):
                self.cell(width, 6, latin1(str(value))[:60], border=1)
            self.ln()
        self.ln(3)
        self.set_font("helvetica", "", 11)
