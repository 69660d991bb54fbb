"""The blocks editors compose content pages with (StreamField)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt = blocks.CharBlock(
        label=_("texte alternatif"),
        required=False,
        help_text=_(
            "Ce que l'image apporte, pour qui ne la voit pas ; vide si décorative."
        ),
    )
    caption = blocks.CharBlock(label=_("légende"), required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "siimop_site/blocks/image.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("intitulé du lien"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Document à télécharger")
        template = "siimop_site/blocks/document.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("adresse de la vidéo"))
    transcript = blocks.TextBlock(
        label=_("transcription"), required=False, help_text=_("Pour l'accessibilité.")
    )

    class Meta:
        icon = "media"
        label = _("Vidéo")
        template = "siimop_site/blocks/video.html"


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("titre"), required=False)
    text = blocks.RichTextBlock(label=_("texte"), features=["bold", "italic", "link"])

    class Meta:
        icon = "warning"
        label = _("Mise en avant")
        template = "siimop_site/blocks/callout.html"


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"))
    answer = blocks.RichTextBlock(label=_("réponse"))


class FaqBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("titre"), required=False)
    questions = blocks.ListBlock(QuestionBlock(), label=_("questions"))

    class Meta:
        icon = "help"
        label = _("Foire aux questions")
        template = "siimop_site/blocks/faq.html"


class BodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Texte"),
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"],
    )
    image = ImageBlock()
    document = DocumentBlock()
    video = VideoBlock()
    callout = CalloutBlock()
    faq = FaqBlock()
