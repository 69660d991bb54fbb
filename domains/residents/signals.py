"""What the residents domain tells the others."""

from django.dispatch import Signal

# sender=SpecialSituation, situation=… — sent within the decision's transaction.
situation_approved = Signal()
