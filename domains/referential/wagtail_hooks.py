"""The national catalogues, administered by UNESS staff in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .models import Faculty, Region, Semester, Specialty, Subdivision


class CatalogueViewSet(ModelViewSet):
    # Plain database search on search_fields: no search index to keep up to date.
    search_backend_name = None
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_per_page = 50


class RegionViewSet(CatalogueViewSet):
    name = "regions"
    model = Region
    icon = "site"
    menu_label = _("Régions (ARS)")
    list_display = ["name", "code"]
    list_export = ["code", "name"]
    search_fields = ["name", "code"]
    form_fields = ["code", "name"]
    export_filename = "regions"


class SubdivisionViewSet(CatalogueViewSet):
    name = "subdivisions"
    model = Subdivision
    icon = "group"
    menu_label = _("Subdivisions")
    list_display = [
        "name",
        "code",
        "region",
        "chu_city",
        BooleanColumn("overseas", label=_("Outre-mer")),
    ]
    list_filter = ["region", "overseas"]
    list_export = ["code", "name", "region", "chu_city", "overseas"]
    search_fields = ["name", "code", "chu_city"]
    form_fields = ["code", "name", "region", "chu_city", "overseas", "comment"]
    export_filename = "subdivisions"


class FacultyViewSet(CatalogueViewSet):
    name = "facultes"
    model = Faculty
    icon = "doc-full"
    menu_label = _("Facultés (UFR)")
    list_display = ["name", "subdivision", "city"]
    list_filter = ["subdivision"]
    list_export = ["name", "subdivision", "city"]
    search_fields = ["name", "city"]
    form_fields = ["name", "subdivision", "city"]
    export_filename = "facultes"


class SpecialtyViewSet(CatalogueViewSet):
    name = "specialites"
    model = Specialty
    icon = "list-ul"
    menu_label = _("Spécialités (DES, options, FST)")
    list_display = [
        "label",
        "code",
        "kind",
        "discipline",
        "duration_semesters",
        BooleanColumn("surgical", label=_("Chirurgicale")),
        BooleanColumn("is_open", label=_("Ouverte")),
    ]
    list_filter = ["kind", "discipline", "surgical", "is_open"]
    list_export = [
        "code",
        "national_code",
        "label",
        "kind",
        "discipline",
        "duration_semesters",
        "surgical",
        "parent",
        "is_open",
        "duration_basis",
    ]
    search_fields = ["label", "code", "national_code"]
    form_fields = [
        "code",
        "label",
        "kind",
        "discipline",
        "duration_semesters",
        "surgical",
        "parent",
        "national_code",
        "duration_basis",
        "notes",
        "is_open",
    ]
    export_filename = "specialites"


class SemesterViewSet(CatalogueViewSet):
    name = "semestres"
    model = Semester
    icon = "date"
    menu_label = _("Semestres")
    list_display = ["__str__", "season", "year", "start_date", "end_date"]
    list_filter = ["season", "year"]
    list_export = ["season", "year", "start_date", "end_date"]
    search_fields = ["year"]
    form_fields = ["season", "year", "start_date", "end_date"]
    export_filename = "semestres"


class ReferentialViewSetGroup(ModelViewSetGroup):
    menu_label = _("Référentiel national")
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (
        RegionViewSet,
        SubdivisionViewSet,
        FacultyViewSet,
        SpecialtyViewSet,
        SemesterViewSet,
    )


@hooks.register("register_admin_viewset")
def register_referential_viewsets():
    return ReferentialViewSetGroup()
