"""What every browser journey does: sign in with a password as someone."""

from tests.factories.people import PASSWORD


def sign_in(page, live_server, who):
    """Sign `who` (a user or an e-mail address) in, from a fresh session, and wait
    for the cockpit's home."""
    email = who if isinstance(who, str) else who.email
    page.context.clear_cookies()
    page.goto(live_server.url + "/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(live_server.url + "/cockpit/")
