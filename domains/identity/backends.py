from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from .throttling import account_for_login, client_ip, is_locked


class EmailPasswordBackend(ModelBackend):
    """Signs in with any of the person's addresses (or the account name) and a password.

    Every password door (our sign-in form, a sensitive action's confirmation, anything
    calling `authenticate`) passes here, so the lock holds on all of them: a locked
    person or client address is refused even with the right password.
    """

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        login = (email or username or "").strip()
        if not login or password is None:
            return None
        if is_locked(login=login, ip=client_ip(request)):
            # authenticate() turns this into a refusal and logs the failure.
            raise PermissionDenied("connexion suspendue")
        user = account_for_login(login)
        if user is None:
            # Same cost as a real check, so timing does not reveal which e-mails exist.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
