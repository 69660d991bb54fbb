"""Dirty values of legacy exports, made clean: text, dates, booleans, semesters.

Each parser returns the value or raises ValueError with a French sentence for the report.
"""

import re
import unicodedata
from datetime import date, datetime, timedelta

SPACES = re.compile(r"[\s\u00a0\u202f]+")
EXCEL_EPOCH = date(1899, 12, 30)
MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "decembre": 12,
}  # fmt: skip
TRUE = {"oui", "o", "1", "x", "vrai", "true", "yes", "y"}
FALSE = {"non", "n", "0", "faux", "false", "no", ""}


def text(value) -> str:
    """Trimmed, inner spaces (non-breaking ones too) collapsed; None → ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return SPACES.sub(" ", str(value)).strip()


def fold(value) -> str:
    """For comparing labels: lower case, no accents, single spaces, no punctuation."""
    plain = (
        unicodedata.normalize("NFKD", text(value)).encode("ascii", "ignore").decode()
    )
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain.lower()).split())


def parse_date(value) -> date | None:
    if value is None or text(value) == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) or re.fullmatch(r"\d{4,5}(\.0+)?", text(value)):
        serial = int(float(value))
        if not 1 <= serial <= 80000:
            raise ValueError(f"date illisible « {text(value)} »")
        return EXCEL_EPOCH + timedelta(days=serial)
    raw = text(value)
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y"):
        try:
            return datetime.strptime(raw.split(" ")[0], pattern).date()
        except ValueError:
            continue
    raise ValueError(
        f"date illisible « {raw} » (attendu jj/mm/aaaa, aaaa-mm-jj ou date Excel)"
    )


def parse_bool(value) -> bool:
    folded = fold(value)
    if folded in TRUE:
        return True
    if folded in FALSE:
        return False
    raise ValueError(f"« {text(value)} » n'est ni oui ni non (Oui/Non/O/N/1/0/X)")


def parse_semester(value) -> tuple[str, int]:
    """("winter" | "summer", year of its start): winter runs November → April.

    Accepts "Novembre 2022", "Mai 2023", "2022-2023 hiver", "Hiver 2022-2023",
    "Été 2023", "S1 2022-2023" (winter) / "S2 2022-2023" (summer), or a date.
    """
    raw = fold(value)
    if not raw:
        raise ValueError("semestre vide")
    years = [int(y) for y in re.findall(r"\b(20\d\d|19\d\d)\b", raw)]
    words = set(raw.split())
    if words & {"hiver", "s1"} and years:
        return "winter", min(years)
    if words & {"ete", "s2"} and years:
        return "summer", max(years)
    month = next((MONTHS[w] for w in raw.split() if w in MONTHS), None)
    if month is not None and years:
        return _season_of(date(years[0], month, 1))
    try:
        day = parse_date(value)
    except ValueError:
        day = None
    if day is not None:
        return _season_of(day)
    raise ValueError(
        f"semestre illisible « {text(value)} » (ex. « Novembre 2022 », « Mai 2023 », "
        "« 2022-2023 hiver »)"
    )


def _season_of(day: date) -> tuple[str, int]:
    if 5 <= day.month <= 10:
        return "summer", day.year
    return "winter", day.year if day.month >= 11 else day.year - 1


def digits(value) -> str:
    return re.sub(r"\D", "", text(value))


def parse_int(value) -> int | None:
    raw = text(value).replace(" ", "")
    if raw == "":
        return None
    try:
        return int(float(raw.replace(",", ".")))
    except ValueError:
        raise ValueError(f"« {text(value)} » n'est pas un nombre")
