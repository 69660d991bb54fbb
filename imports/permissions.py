"""Who may recover legacy files."""

from domains.people.roles import Role

# The imports permissions each role's group carries (registered from
# ImportsConfig.ready()): the ARS for her region, UNESS admins for all.
_IMPORT = [
    "imports.view_importrun",
    "imports.add_importrun",
    "imports.change_importrun",
    "imports.view_personproposal",
    "imports.change_personproposal",
]
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.UNESS_ADMIN: _IMPORT,
    Role.ARS: _IMPORT,
}
