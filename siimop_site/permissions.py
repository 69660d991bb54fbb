"""Who may edit the public site."""

from domains.people.roles import Role

# The site's permissions each role's group carries (registered from
# SiimopSiteConfig.ready()): UNESS admins open the Wagtail admin, where the site's
# pages and the referential's catalogues are edited, and keep the mailing lists and
# read their sends.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.UNESS_ADMIN: [
        "wagtailadmin.access_admin",
        *[f"siimop_site.{a}_mailinglist" for a in ("add", "change", "delete", "view")],
        "siimop_site.view_mailing",
    ],
}
