"""What the campaign tells the layers above it (the public site publishes the
campaign's announcement page)."""

from django.dispatch import Signal

campaign_published = Signal()  # sender=AccreditationCampaign, campaign=…
