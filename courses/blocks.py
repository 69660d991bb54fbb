"""Lesson content and quiz questions (StreamField blocks)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from siimop_site.blocks import BodyBlock


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("réponse proposée"))
    correct = blocks.BooleanBlock(label=_("bonne réponse"), required=False)


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"))
    multiple = blocks.BooleanBlock(label=_("plusieurs bonnes réponses"), required=False)
    choices = blocks.ListBlock(ChoiceBlock(), label=_("réponses proposées"), min_num=2)
    feedback = blocks.TextBlock(
        label=_("explication"),
        required=False,
        help_text=_("Montrée après la correction."),
    )

    class Meta:
        icon = "help"
        label = _("Question")


LessonBody = BodyBlock
