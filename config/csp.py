"""django-csp's middleware, with the two admins' own policy (settings.SIIMOP_CSP_ADMIN)."""

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


class SiimopCSPMiddleware(CSPMiddleware):
    """CONTENT_SECURITY_POLICY everywhere, except:

    - under the Wagtail and Django admins' prefixes, its directives replaced by
      SIIMOP_CSP_ADMIN["REPLACE"]: their templates and scripts run inline code that we
      do not own (excluding the prefixes would leave them with no policy at all);
    - a page of ours rendered for Wagtail's preview (a "dummy" request run through the
      middleware by Wagtail) keeps our policy but may be framed by the admin's preview
      panel.

    A view that chose its policy with django-csp's decorators keeps it.
    """

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or parts.config is not None or parts.replace is not None:
            return parts
        admin = settings.SIIMOP_CSP_ADMIN
        if request.path_info.startswith(tuple(admin["PREFIXES"])):
            parts.replace = admin["REPLACE"]
        elif getattr(request, "is_dummy", False):
            parts.replace = {"frame-ancestors": [SELF]}
        return parts
