"""Who may do what in UNESS Assistance."""

from domains.people.roles import Role

# The assistance permissions each role's group carries (registered from
# AssistanceConfig.ready()). Agents work the tickets of their teams (django-helpdesk's
# model, which this app runs); UNESS admins set the service's periods; the statistics
# are read by the agents, the ARS (for her subdivisions), DGOS and UNESS.
_SUPPORT = [
    "helpdesk.view_ticket",
    "helpdesk.change_ticket",
    "assistance.view_statistics",
]
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.DGOS: ["assistance.view_statistics"],
    Role.UNESS_ADMIN: [
        *[f"assistance.{a}_period" for a in ("add", "change", "delete", "view")],
        "assistance.view_statistics",
    ],
    Role.ARS: ["assistance.view_statistics"],
    Role.SUPPORT_L1: _SUPPORT,
    Role.SUPPORT_L2: _SUPPORT,
}
