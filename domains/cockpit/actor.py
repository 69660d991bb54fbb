"""Who is acting in the cockpit: the person, her active function, what it allows."""

from __future__ import annotations

from functools import cached_property

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from guardian.models import UserObjectPermission

from .registry import FunctionInfo, Screen, registry

SESSION_KEY = "cockpit_active_function"


class Actor:
    def __init__(self, user, functions: list[FunctionInfo], active_pk: int | None):
        self.user = user
        self.functions = functions
        self.function = next((f for f in functions if f.pk == active_pk), None) or (
            functions[0] if functions else None
        )

    @property
    def is_superuser(self) -> bool:
        return bool(self.user.is_superuser)

    @property
    def is_national(self) -> bool:
        return self.is_superuser or bool(self.function and self.function.national)

    def has_perm(self, permission: str | None) -> bool:
        """Model permission of the active function's role (all, for a superuser)."""
        if permission is None:
            return self.user.is_authenticated
        if self.is_superuser:
            return True
        return bool(self.function) and permission in self.function.permissions

    @property
    def has_perm_admin(self) -> bool:
        """May open the Wagtail admin (for the header link, without loading all perms)."""
        return self.has_perm("wagtailadmin.access_admin")

    @cached_property
    def object_permissions(self) -> set[tuple[str, int, str]]:
        """The person's django-guardian rows, loaded once: (codename, content type, pk)."""
        return set(
            UserObjectPermission.objects.filter(user=self.user).values_list(
                "permission__codename", "content_type_id", "object_pk"
            )
        )

    def holds_object_permission(self, action: str, obj: Model) -> bool:
        content_type = ContentType.objects.get_for_model(obj)
        key = (f"{action}_{content_type.model}", content_type.pk, str(obj.pk))
        return key in self.object_permissions

    def can(self, screen: Screen, action: str, obj: Model | None = None) -> bool:
        """Role permission, then (for a record) a guardian permission on its perimeter."""
        if not self.has_perm(screen.permission(action)):
            return False
        if obj is None or self.is_national:
            return True
        perimeter_action = "view" if action == "view" else "change"
        return any(
            self.holds_object_permission(perimeter_action, target)
            for target in screen.perimeter_objects(obj)
            if target is not None
        )


def actor_for(request) -> Actor:
    user = request.user
    functions = registry.functions_provider(user) if user.is_authenticated else []
    return Actor(user, functions, request.session.get(SESSION_KEY))


class ActorMiddleware:
    """Puts `request.actor` on every request and narrows reads to the active function.

    Selectors read `user.active_function_id` (set here) so that a person with several
    functions works under one at a time.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = actor_for(request)
        if request.actor.function is not None:
            request.user.active_function_id = request.actor.function.pk
        return self.get_response(request)
