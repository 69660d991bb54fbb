from dsfr.context_processors import site_config as dsfr_site_config


def site_config(request):
    """django-dsfr's site configuration, read once per request (tables render twice)."""
    if not hasattr(request, "_dsfr_site_config"):
        request._dsfr_site_config = dsfr_site_config(request)
    return request._dsfr_site_config
