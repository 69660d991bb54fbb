from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from domains.people.selectors import user_for_email


class EmailPasswordBackend(ModelBackend):
    """Signs in with any of the person's addresses (or the account name) and a password."""

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        login = (email or username or "").strip()
        if not login or password is None:
            return None
        user = user_for_email(login)
        if user is None:
            user = get_user_model().objects.filter(username__iexact=login).first()
        if user is None:
            # Same cost as a real check, so timing does not reveal which e-mails exist.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
