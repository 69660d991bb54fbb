from django.db import migrations

HOME_INTRO = (
    "Le système d'information des internes en médecine, odontologie et pharmacie : "
    "un seul outil, partagé par les ministères, les ARS, les facultés, les coordonnateurs, "
    "les terrains de stage, les établissements et les internes."
)


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("siimop_site", "HomePage")
    Locale = apps.get_model("wagtailcore", "Locale")
    DsfrConfig = apps.get_model("dsfr", "DsfrConfig")

    # Replace Wagtail's default welcome page by our home page.
    Page.objects.filter(depth=2, slug="home").delete()
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="siimop_site")
    locale = Locale.objects.first()
    home = HomePage.objects.create(
        title="SIIMOP",
        draft_title="SIIMOP",
        slug="accueil",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/accueil/",
        locale=locale,
        intro=HOME_INTRO,
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home,
                  "site_name": "SIIMOP"},
    )
    DsfrConfig.objects.update_or_create(
        language="fr",
        defaults={
            "site_title": "SIIMOP",
            "site_tagline": "Système d'information des internes en médecine, "
            "odontologie et pharmacie",
            "header_brand": "République française",
            "header_brand_html": "République<br>française",
            "footer_brand": "République française",
            "footer_brand_html": "République<br>française",
            "footer_description": "SIIMOP est opéré par l'UNESS pour le ministère chargé "
            "de la santé.",
            "beta_tag": True,
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("siimop_site", "0001_initial"),
        ("wagtailcore", "0001_initial"),
        ("dsfr", "0012_dsfrconfig_notice_description_and_more"),
    ]
    run_before = []
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
