"""French plurals: the singular for 0 and 1, through the committed catalogue
(locale/fr, made by `manage.py french_plurals`), for every plural string of ours."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.templatetags.i18n import BlockTranslateNode
from django.utils import translation

from domains.cockpit.management.commands.french_plurals import (
    IGNORED,
    plural_catalogue,
)
from tests.conftest import page_text
from tests.factories.referential import TrainingSiteFactory

ROOT = Path(settings.BASE_DIR)
PLURAL_FUNCTIONS = {"ngettext", "ngettext_lazy", "npgettext", "npgettext_lazy"}


def _ours(pattern: str):
    skipped = {*IGNORED, ".venv", "locale"}
    for path in sorted(ROOT.glob(pattern)):
        parts = path.relative_to(ROOT).parts
        if not skipped & set(parts) and not parts[0].startswith("."):
            yield path


def _template_plurals() -> list[tuple[str, str, str, str]]:
    """(where, context, singular, plural) of each {% blocktranslate count %}."""
    engine = engines["django"].engine
    found = []
    for path in _ours("**/templates/**/*.html"):
        template = engine.from_string(path.read_text(encoding="utf-8"))
        for node in template.nodelist.get_nodes_by_type(BlockTranslateNode):
            if node.plural:
                singular, _vars = node.render_token_list(node.singular)
                plural, _vars = node.render_token_list(node.plural)
                context = node.message_context.var if node.message_context else ""
                found.append((str(path.relative_to(ROOT)), context, singular, plural))
    return found


def _python_plurals() -> list[tuple[str, str, str, str]]:
    """(where, context, singular, plural) of each ngettext call with literal strings."""
    found = []
    for path in _ours("**/*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            name = getattr(call.func, "id", getattr(call.func, "attr", ""))
            if name not in PLURAL_FUNCTIONS:
                continue
            texts = [a.value for a in call.args if isinstance(a, ast.Constant)]
            texts = [t for t in texts if isinstance(t, str)]
            context = texts.pop(0) if name.startswith("np") else ""
            if len(texts) >= 2:
                found.append((str(path.relative_to(ROOT)), context, *texts[:2]))
    return found


def _render(template: str, **context) -> str:
    with translation.override("fr"):
        return engines["django"].from_string(template).render(context)


def test_a_count_of_0_or_1_takes_the_singular_and_2_the_plural():
    template = (
        "{% load i18n %}{% blocktranslate count n=n %}{{ n }} interne dans ce "
        "périmètre{% plural %}{{ n }} internes dans ce périmètre{% endblocktranslate %}"
    )
    assert [_render(template, n=n) for n in (0, 1, 2, 16)] == [
        "0 interne dans ce périmètre",
        "1 interne dans ce périmètre",
        "2 internes dans ce périmètre",
        "16 internes dans ce périmètre",
    ]


@pytest.mark.django_db
def test_a_list_says_0_resultat_1_resultat_2_resultats(client, ars):
    sites = "/cockpit/terrains-de-stage/"

    def count():
        response = client.get(sites, {"q": "zzzz"})
        return re.search(r'id="result-count">\s*([^<]*?)\s*<', page_text(response))[1]

    assert count() == "0 résultat"
    TrainingSiteFactory(name="Pédiatrie zzzz A")
    assert count() == "1 résultat"
    TrainingSiteFactory(name="Pédiatrie zzzz B")
    assert count() == "2 résultats"


def test_every_plural_string_of_ours_is_in_the_french_catalogue():
    """A plural added without `manage.py french_plurals` would read « 0 résultats »."""
    plurals = _template_plurals() + _python_plurals()
    assert len(plurals) >= 15
    missing = []
    with translation.override("fr"):
        for where, context, singular, plural in plurals:
            if context:
                said = translation.npgettext(context, singular, plural, 0)
            else:
                said = translation.ngettext(singular, plural, 0)
            if said != singular:
                missing.append(f"{where}: {singular!r}")
    assert not missing, "manage.py french_plurals, puis committer locale/ :\n" + (
        "\n".join(missing)
    )


def test_the_statistics_total_says_0_interne_for_an_empty_perimeter():
    path = ROOT / "domains/residents/templates/residents/statistics.html"
    line = next(
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if 'id="total"' in line
    )
    template = "{% load i18n %}" + line
    assert "0 interne dans ce périmètre" in _render(template, figures={"total": 0})
    assert "2 internes dans ce périmètre" in _render(template, figures={"total": 2})


def test_the_catalogue_keeps_only_plural_entries_their_forms_from_the_source():
    extracted = (
        '# SOME DESCRIPTIVE TITLE.\n#, fuzzy\nmsgid ""\nmsgstr ""\n'
        '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        'msgid "Catégorie"\nmsgstr ""\n\n'
        "#, fuzzy, python-format\n"
        '#| msgid "%(n)s ligne"\n'
        'msgid "%(n)s ligne "\n"concernée"\n'
        'msgid_plural "%(n)s lignes concernées"\n'
        'msgstr[0] ""\nmsgstr[1] "old"\n'
    )
    catalogue = plural_catalogue(extracted)
    assert "Catégorie" not in catalogue
    assert "fuzzy" not in catalogue and "#|" not in catalogue
    assert "Plural-Forms: nplurals=2; plural=(n > 1);" in catalogue
    assert catalogue.endswith(
        "#, python-format\n"
        'msgid "%(n)s ligne "\n"concernée"\n'
        'msgid_plural "%(n)s lignes concernées"\n'
        'msgstr[0] "%(n)s ligne "\n"concernée"\n'
        'msgstr[1] "%(n)s lignes concernées"\n'
    )
