"""UNESS admins are the site's editors: Wagtail page permissions on the whole tree and
image/document permissions on the root collection, given to their role's group."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
)

from domains.people.roles import Role, role_group_name

PAGE_PERMISSIONS = (
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
)
MEDIA_PERMISSIONS = {
    "wagtailimages": ("add_image", "change_image", "choose_image"),
    "wagtaildocs": ("add_document", "change_document", "choose_document"),
}


@transaction.atomic
def editors_grant() -> None:
    """Idempotent (run after every migrate)."""
    root = Page.get_first_root_node()
    collection = Collection.get_first_root_node()
    if root is None or collection is None:
        return
    group, _new = Group.objects.get_or_create(name=role_group_name(Role.UNESS_ADMIN))
    for codename in PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=root,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    for app, codenames in MEDIA_PERMISSIONS.items():
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=Permission.objects.get(
                    content_type__app_label=app, codename=codename
                ),
            )
