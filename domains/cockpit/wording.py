"""Small French grammar rules for built sentences: elision, a role as a common noun,
the singular of 0 and 1."""

from django.utils.translation import gettext as _

# A word starting with one of these elides a preceding "que" (qu'interne). The h is
# left out: no role starts with one, and an aspirated h does not elide.
VOWELS = "aeiouyàâäéèêëîïôöùûüÿœæ"


def role_noun(label: str) -> str:
    """A role label as a common noun inside a sentence: "Interne" → "interne",
    "Agent ARS — Lyon" → "agent ARS — Lyon"; an acronym ("DGOS (ministère)") stays."""
    label = str(label)
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def elides(word: str) -> bool:
    """Whether "que" before this word becomes "qu'"."""
    return str(word)[:1].lower() in VOWELS


def is_singular(count) -> bool:
    """French takes the singular for 0 and 1 (« 0 résultat »)."""
    return abs(int(count or 0)) <= 1


def working_as(label: str) -> str:
    """The message shown once the person switched to the function of this label."""
    role = role_noun(label)
    if elides(role):
        return _("Vous travaillez maintenant en tant qu'%s.") % role
    return _("Vous travaillez maintenant en tant que %s.") % role
