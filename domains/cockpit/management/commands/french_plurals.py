"""The French catalogue: the plural forms of our own strings, nothing else.

Our strings are written in French, so a message needs no translation; a plural one
does all the same, because without a catalogue gettext falls back to the English rule
(singular for 1 only: « 0 résultats »). French takes the singular for 0 and 1
(`Plural-Forms: nplurals=2; plural=(n > 1);`). This command extracts the strings
(makemessages), keeps only the plural entries, their forms filled from the source
(msgstr[0] the singular, msgstr[1] the plural), and compiles the catalogue
(compilemessages). Both files are committed: the catalogue then works wherever the
code runs, with or without the gettext tools.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

# Not ours, or not served: their strings stay out of the catalogue.
IGNORED = [
    "node_modules",
    "var",
    "media",
    "static",
    "static_collected",
    "tests",
    "benchmarks",
]


def _entries(text: str) -> list[list[str]]:
    """The entries of a .po file, each as its lines (comments included)."""
    return [block.splitlines() for block in text.strip().split("\n\n") if block]


def _field(lines: list[str], keyword: str) -> list[str] | None:
    """The lines of a field (`msgid_plural "…"` and its continuations)."""
    for start, line in enumerate(lines):
        if line.startswith(keyword + " "):
            found = [line[len(keyword) + 1 :]]
            for more in lines[start + 1 :]:
                if not more.startswith('"'):
                    break
                found.append(more)
            return found
    return None


def _filled(lines: list[str]) -> list[str]:
    """A plural entry whose two forms repeat the source's singular and plural."""
    kept = []
    skipping = False
    for line in lines:
        if line.startswith("msgstr["):
            skipping = True
            continue
        if skipping and line.startswith('"'):
            continue
        skipping = False
        if line.startswith("#|"):  # msgmerge's previous msgid: refilled below
            continue
        if line.startswith("#, "):
            flags = [f for f in line[3:].split(", ") if f != "fuzzy"]
            if not flags:
                continue
            line = "#, " + ", ".join(flags)
        kept.append(line)
    singular = _field(lines, "msgid")
    plural = _field(lines, "msgid_plural")
    return [
        *kept,
        "msgstr[0] " + singular[0],
        *singular[1:],
        "msgstr[1] " + plural[0],
        *plural[1:],
    ]


# Fixed, so that extracting again changes the file only when a string changes.
HEADER = [
    "# SIIMOP: the French plural forms of our strings (manage.py french_plurals).",
    'msgid ""',
    'msgstr ""',
    '"Language: fr\\n"',
    '"MIME-Version: 1.0\\n"',
    '"Content-Type: text/plain; charset=UTF-8\\n"',
    '"Content-Transfer-Encoding: 8bit\\n"',
    '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"',
]


def plural_catalogue(text: str) -> str:
    """Our header and the plural entries of a makemessages catalogue, filled."""
    entries = _entries(text)
    header = HEADER
    plurals = [_filled(e) for e in entries[1:] if _field(e, "msgid_plural")]
    return "\n\n".join("\n".join(e) for e in [header, *plurals]) + "\n"


class Command(BaseCommand):
    help = "Extrait et compile le catalogue français des pluriels (locale/fr)."

    def handle(self, *args, **options):
        call_command(
            "makemessages",
            locale=["fr"],
            ignore_patterns=IGNORED,
            no_obsolete=True,
            no_location=True,
            verbosity=0,
        )
        po = Path(settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES" / "django.po"
        po.write_text(plural_catalogue(po.read_text(encoding="utf-8")), "utf-8")
        call_command(
            "compilemessages", locale=["fr"], ignore_patterns=IGNORED, verbosity=0
        )
        self.stdout.write(f"{po} : {po.read_text().count('msgid_plural')} pluriels")
