"""A learner's enrolment in a course is `CourseEnrolment`: `Enrolment` is the DES
enrolment of residents. Its permissions keep their rows (and the groups holding them)
under the new codenames, instead of new ones being created beside them."""

from django.db import migrations

ACTIONS = ("add", "change", "delete", "view")


def _rename_permissions(apps, old: str, new: str) -> None:
    Permission = apps.get_model("auth", "Permission")
    for action in ACTIONS:
        permissions = Permission.objects.filter(
            content_type__app_label="courses", codename=f"{action}_{old}"
        )
        if not Permission.objects.filter(
            content_type__app_label="courses", codename=f"{action}_{new}"
        ).exists():
            permissions.update(codename=f"{action}_{new}")


def forwards(apps, schema_editor):
    _rename_permissions(apps, "enrolment", "courseenrolment")


def backwards(apps, schema_editor):
    _rename_permissions(apps, "courseenrolment", "enrolment")


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("courses", "0003_session_reminders_schedule"),
    ]

    operations = [
        migrations.RenameModel(old_name="Enrolment", new_name="CourseEnrolment"),
        migrations.RunPython(forwards, backwards),
    ]
