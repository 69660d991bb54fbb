"""Who may do what in the semester cycle.

- Semester activity: the faculty registry of the subdivision prefills, corrects and
  validates its lines (`choices.change_activityline`); the ARS of the region, the
  coordinators (their DES), DGOS and UNESS read them; a resident reads her own line on
  her page and declares her situation while it is not validated
  (`choices.add_activityline`, on herself).
"""

from domains.people.roles import Role

_READ = ["choices.view_activityline"]
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.DGOS: [*_READ, "choices.view_calllist"],
    Role.UNESS_ADMIN: [*_READ, "choices.view_calllist"],
    # The ARS establishes the call lists (registry and coordinators read them).
    Role.ARS: [*_READ, "choices.view_calllist", "choices.change_calllist"],
    Role.FACULTY_REGISTRY: [
        *_READ,
        "choices.change_activityline",
        "choices.view_calllist",
    ],
    Role.COORDINATOR: [*_READ, "choices.view_calllist"],
    # Her own line, on Mon semestre prochain (not the registry's list).
    Role.RESIDENT: ["choices.add_activityline"],
}
CHANGE = "choices.change_activityline"
CALL_LISTS = "choices.change_calllist"
DECLARE = "choices.add_activityline"


def call_list_perimeter(call_list) -> list:
    return [call_list.subdivision, call_list.subdivision.region, call_list.specialty]


def line_perimeter(line) -> list:
    """The line's subdivision and region, the resident herself, and her DES (the
    coordinator's reach)."""
    return [
        line.subdivision,
        line.subdivision.region,
        line.resident.person,
        line.specialty,
    ]
