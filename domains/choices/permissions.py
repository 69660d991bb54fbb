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
    Role.DGOS: _READ,
    Role.UNESS_ADMIN: _READ,
    Role.ARS: _READ,
    Role.FACULTY_REGISTRY: [*_READ, "choices.change_activityline"],
    Role.COORDINATOR: _READ,
    # Her own line, on Mon semestre prochain (not the registry's list).
    Role.RESIDENT: ["choices.add_activityline"],
}
CHANGE = "choices.change_activityline"
DECLARE = "choices.add_activityline"


def line_perimeter(line) -> list:
    """The line's subdivision and region, the resident herself, and her DES (the
    coordinator's reach)."""
    return [
        line.subdivision,
        line.subdivision.region,
        line.resident.person,
        line.specialty,
    ]
