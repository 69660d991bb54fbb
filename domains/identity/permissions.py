"""Who may do what to account requests and reconciliations."""

from domains.people.roles import Role

# The identity permissions each role's group carries (registered from
# IdentityConfig.ready()): who manages people answers their account requests; UNESS
# admins reconcile university sign-ins that matched several persons.
_ACCOUNT_REQUESTS = ["identity.view_accountrequest", "identity.change_accountrequest"]
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.UNESS_ADMIN: [
        *_ACCOUNT_REQUESTS,
        "identity.view_reconciliationcase",
        "identity.change_reconciliationcase",
    ],
    Role.ARS: _ACCOUNT_REQUESTS,
    Role.FACULTY_REGISTRY: _ACCOUNT_REQUESTS,
}
