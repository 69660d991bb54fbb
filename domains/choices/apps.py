from django.apps import AppConfig


class ChoicesConfig(AppConfig):
    name = "domains.choices"
    label = "choices"
    verbose_name = "Cycle semestriel (choix de stage)"

    def ready(self) -> None:
        # The permissions this app's models bring to each role.
        from domains.people.roles import register_role_permissions

        from .permissions import ROLE_PERMISSIONS

        register_role_permissions(ROLE_PERMISSIONS)

        # A signed opening decree freezes the subdivision's posts of the semester.
        from domains.referential.services import register_post_lock

        from .selectors import opening_lock

        register_post_lock(opening_lock)

        # An interCHU granted at home asks its host subdivision's agreement.
        from domains.residents.signals import situation_approved

        from .services import hosting_request

        situation_approved.connect(
            lambda sender, situation, **kwargs: hosting_request(situation),
            weak=False,
            dispatch_uid="choices.interchu_hosting",
        )
