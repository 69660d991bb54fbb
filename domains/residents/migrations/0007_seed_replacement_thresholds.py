"""The Ordre des médecins' thresholds for the licence de remplacement, seeded: general
practice as the brief states it (3 validated semesters, one with a general
practitioner); two others flagged as demonstration values, to be confirmed with the
Ordre. UNESS admins edit them (cockpit, Seuils de remplacement)."""

from django.db import migrations

SEEDS = [
    (
        "DES-MGE",
        "Licence de remplacement en médecine générale",
        3,
        1,
        "general_practitioner",
        False,
        "Conseil national de l'Ordre des médecins : 3 semestres validés dont un "
        "auprès d'un médecin généraliste (maître de stage universitaire).",
    ),
    (
        "DES-PED",
        "Licence de remplacement en pédiatrie",
        4,
        2,
        "specialty",
        True,
        "Valeur de démonstration.",
    ),
    (
        "DES-MCA",
        "Licence de remplacement en médecine cardiovasculaire",
        4,
        2,
        "specialty",
        True,
        "Valeur de démonstration.",
    ),
]


def seed(apps, schema_editor):
    Specialty = apps.get_model("referential", "Specialty")
    Threshold = apps.get_model("residents", "ReplacementThreshold")
    for code, label, required, count, kind, demo, source in SEEDS:
        specialty = Specialty.objects.filter(code=code).first()
        if specialty is None:  # a catalogue without this DES: nothing to seed
            continue
        Threshold.objects.get_or_create(
            specialty=specialty,
            label=label,
            defaults={
                "semesters_required": required,
                "of_which_count": count,
                "of_which_kind": kind,
                "is_demo": demo,
                "source": source,
            },
        )


def unseed(apps, schema_editor):
    Threshold = apps.get_model("residents", "ReplacementThreshold")
    Threshold.objects.filter(label__in=[s[1] for s in SEEDS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("residents", "0006_replacement_thresholds_last_ranks"),
        ("referential", "0002_load_catalogues"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
