"""Who may do what in the semester cycle.

- Post opening: the ARS prepares a subdivision's opening (`choices.change_postopening`)
  and its DG signs and publishes the decree (`choices.sign_postopening`); each
  coordinator gives the opinion of her DES (`choices.add_openingopinion`); the
  registry, DGOS and UNESS read.
- Opening rules (the 107 % rule and its variants, per region and DES): the region's
  ARS keeps them (`choices.add/change/delete_openingrule`); DGOS and UNESS read them.
- InterCHU hosting: the host coordinator gives the DES's opinion
  (`choices.opine_interchuhosting`), the host ARS accepts or refuses
  (`choices.change_interchuhosting`).
- Call lists: the ARS establishes, adjusts, publishes, answers the contests and freezes;
  a resident on a published list contests her place (`choices.add_activityline`).
- Choice sessions (amphis): the ARS opens a call list's session and closes its wishes
  (`choices.change_choicesession`); each resident of it ranks her wishes
  (`choices.add_wishlist`, on herself); whoever reads the list reads its session.
- Semester activity: the faculty registry of the subdivision prefills, corrects and
  validates its lines (`choices.change_activityline`); the ARS of the region, the
  coordinators (their DES), DGOS and UNESS read them; a resident reads her own line on
  her page and declares her situation while it is not validated
  (`choices.add_activityline`, on herself).
"""

from domains.people.roles import Role

_READ = [
    "choices.view_activityline",
    "choices.view_calllist",
    "choices.view_postopening",
    "choices.view_interchuhosting",
    "choices.view_choicegroup",
    "choices.view_choicesession",
]
# The opening rules: the ARS keeps its region's; DGOS and UNESS read every region's.
# The registry and the coordinators read the rule in force on the opening pages
# (next to each DES), not on this screen.
RULE_VIEW = "choices.view_openingrule"
RULE_ADD = "choices.add_openingrule"
RULE_CHANGE = "choices.change_openingrule"
RULE_DELETE = "choices.delete_openingrule"
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.DGOS: [*_READ, RULE_VIEW],
    Role.UNESS_ADMIN: [*_READ, RULE_VIEW],
    # The ARS establishes the call lists and opens the posts.
    Role.ARS: [
        *_READ,
        "choices.change_calllist",
        "choices.change_choicesession",
        "choices.add_choicegroup",
        "choices.change_choicegroup",
        "choices.delete_choicegroup",
        "choices.change_postopening",
        "choices.sign_postopening",
        "choices.change_interchuhosting",
        RULE_VIEW,
        RULE_ADD,
        RULE_CHANGE,
        RULE_DELETE,
    ],
    Role.FACULTY_REGISTRY: [*_READ, "choices.change_activityline"],
    Role.COORDINATOR: [
        *_READ,
        "choices.add_openingopinion",
        "choices.opine_interchuhosting",
    ],
    # Her own line, on Mon semestre prochain (not the registry's list).
    Role.RESIDENT: ["choices.add_activityline", "choices.add_wishlist"],
}
# Who follows the post opening (its coverage, the pre-choice demand): the ARS, the
# faculty and the State.
OPENING_READERS = (
    Role.ARS,
    Role.FACULTY_REGISTRY,
    Role.COORDINATOR,
    Role.DGOS,
    Role.UNESS_ADMIN,
)
CHANGE = "choices.change_activityline"
CALL_LISTS = "choices.change_calllist"
OPENING = "choices.change_postopening"
SIGN = "choices.sign_postopening"
OPINION = "choices.add_openingopinion"
HOSTING = "choices.change_interchuhosting"
HOSTING_OPINION = "choices.opine_interchuhosting"
DECLARE = "choices.add_activityline"
SESSIONS = "choices.change_choicesession"
# A resident ranks her own wishes for the amphi of her call list.
WISHES = "choices.add_wishlist"


def opening_rule_perimeter(rule) -> list:
    return [rule.region]


def opening_perimeter(opening) -> list:
    return [opening.subdivision, opening.subdivision.region]


def hosting_perimeter(hosting) -> list:
    """The host subdivision, its region, and the DES (the host coordinator's reach)."""
    return [
        hosting.host_subdivision,
        hosting.host_subdivision.region,
        hosting.specialty,
    ]


def choice_group_perimeter(group) -> list:
    return [group.subdivision, group.subdivision.region]


def call_list_perimeter(call_list) -> list:
    """The subdivision, its region, and its DES: a choice group's list is in the
    reach of each of its DES's coordinators."""
    specialties = (
        list(call_list.group.specialties.all())
        if call_list.group_id
        else [call_list.specialty]
    )
    return [call_list.subdivision, call_list.subdivision.region, *specialties]


def line_perimeter(line) -> list:
    """The line's subdivision and region, the resident herself, and her DES (the
    coordinator's reach)."""
    return [
        line.subdivision,
        line.subdivision.region,
        line.resident.person,
        line.specialty,
    ]
