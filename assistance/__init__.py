"""UNESS Assistance: our layer on django-helpdesk (the `helpdesk` package stays the
installed one; see helpdesk/README.md)."""
