"""What the semester cycle tells the rest of the platform."""

from django.dispatch import Signal

opening_published = Signal()  # sender=PostOpening, opening=…
