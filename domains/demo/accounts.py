"""The demo accounts, one per role, all in the Lyon subdivision where a perimeter is needed."""

from domains.people.roles import Role

DEMO_PASSWORD = "SiimopDemo2026!"
DEMO_DOMAIN = "demo.siimop.fr"

# role -> (e-mail local part, civility, first name, last name)
DEMO_ACCOUNTS: dict[str, tuple[str, str, str, str]] = {
    Role.DGOS: ("dgos", "MME", "Hélène", "Marchand"),
    Role.UNESS_ADMIN: ("admin", "M", "Julien", "Lefort"),
    Role.ARS: ("ars", "MME", "Claire", "Dumont"),
    Role.FACULTY_REGISTRY: ("scolarite", "MME", "Nadia", "Benali"),
    Role.COORDINATOR: ("coordonnateur", "M", "Pierre", "Garnier"),
    Role.SITE_SUPERVISOR: ("rts", "MME", "Sophie", "Moreau"),
    Role.PRACTITIONER: ("msu", "M", "Antoine", "Roussel"),
    Role.SITE_ASSISTANT: ("assistant", "MME", "Léa", "Perrin"),
    Role.MEDICAL_AFFAIRS: ("dam", "M", "Karim", "Haddad"),
    Role.ESTABLISHMENT_DIRECTOR: ("directeur", "M", "François", "Lambert"),
    Role.RESIDENT: ("interne", "MME", "Camille", "Bertrand"),
    Role.RESIDENT_REPRESENTATIVE: ("representant", "M", "Hugo", "Fabre"),
    Role.SUPPORT_L1: ("support1", "MME", "Inès", "Colin"),
    Role.SUPPORT_L2: ("support2", "M", "Thomas", "Renaud"),
}


def demo_email(role: str) -> str:
    return f"{DEMO_ACCOUNTS[role][0]}@{DEMO_DOMAIN}"
