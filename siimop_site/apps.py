from django.apps import AppConfig
from django.apps import apps as django_apps
from django.db.models.signals import post_migrate


def _editors(app_config=None, **kwargs) -> None:
    # After the last app: the permissions it names exist only then.
    last = [a for a in django_apps.get_app_configs() if a.models_module][-1]
    if app_config is None or app_config.label == last.label:
        from .editors import editors_grant

        editors_grant()


def _announcement_published(sender, instance, **kwargs) -> None:
    from .mailings import announcement_notify

    announcement_notify(instance)


class SiimopSiteConfig(AppConfig):
    name = "siimop_site"
    verbose_name = "Site public"

    def ready(self) -> None:
        # The permissions this app's models bring to each role.
        from domains.people.roles import register_role_permissions

        from .permissions import ROLE_PERMISSIONS

        register_role_permissions(ROLE_PERMISSIONS)

        from wagtail.signals import page_published

        from domains.accreditation.signals import campaign_published
        from domains.cockpit.registry import registry

        from .announcements import accreditation_campaign_announce, announcement_pages
        from .models import CampaignAnnouncementPage

        post_migrate.connect(_editors, dispatch_uid="siimop_site.editors")
        # The signal, not an admin hook: scheduled publications notify too.
        page_published.connect(
            _announcement_published,
            sender=CampaignAnnouncementPage,
            dispatch_uid="siimop_site.notify",
        )
        # The footer's links are cached: any page change makes it look again.
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Page, PageViewRestriction
        from wagtail.signals import page_unpublished, post_page_move

        from .footer import forget_footer_links

        for signal, sender in (
            (page_published, None),
            (page_unpublished, None),
            (post_page_move, None),
            (post_delete, Page),
            (post_save, PageViewRestriction),
            (post_delete, PageViewRestriction),
        ):
            signal.connect(
                forget_footer_links,
                sender=sender,
                weak=False,
                dispatch_uid=f"siimop_site.footer.{id(signal)}.{sender}",
            )
        campaign_published.connect(
            accreditation_campaign_announce, dispatch_uid="siimop_site.accreditation"
        )
        from domains.choices.signals import opening_published

        from .announcements import post_opening_announce

        opening_published.connect(
            post_opening_announce, dispatch_uid="siimop_site.post_opening"
        )
        # The cockpit's campaign screens link to their announcement.
        registry.register_public_page_finder(announcement_pages)
