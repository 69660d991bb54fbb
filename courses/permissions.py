"""Who may manage the training sessions."""

from domains.people.roles import Role

# The courses permissions each role's group carries (registered from
# CoursesConfig.ready()): UNESS admins run the sessions and read the training
# statistics (the enrolments).
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.UNESS_ADMIN: [
        "courses.view_courseenrolment",
        *[f"courses.{a}_trainingsession" for a in ("add", "change", "delete", "view")],
    ],
}
