"""Load the structure of GCP2 (2015): four areas and their sub-areas, with our own labels.

Only the structure is here. The NSPCC's descriptor text is licensed to trained practitioners
and is not part of this repository; an authority loads its licensed guidance text into
SubArea.guidance (admin, or `manage.py load_gcp2_guidance <file>`). A later revision of the
tool is loaded as a new version, so assessments keep the version they were made with.
"""

from django.db import migrations

CODE = "gcp2-2015"
NAME = "GCP2 (2015)"
AREAS = [
    (
        "physical",
        "Physical care",
        "",
        [
            ("nutrition", "Nutrition", None),
            ("housing", "Housing", None),
            ("clothing", "Clothing", None),
            ("hygiene", "Hygiene", None),
            ("health", "Health", None),
        ],
    ),
    (
        "safety",
        "Safety",
        "",
        [
            ("in-presence", "Safety in the carer's presence", None),
            ("in-absence", "Safety in the carer's absence", None),
            # Our data choice, editable in the admin against the licensed copy.
            ("online", "Online safety", 3),
            ("traffic", "Safety in traffic", None),
            ("home", "Safety in the home", None),
        ],
    ),
    (
        "emotional",
        "Emotional care",
        "Love and belonging",
        [
            ("responsiveness", "The carer's responsiveness", None),
            ("mutual-engagement", "Mutual engagement between carer and child", None),
        ],
    ),
    (
        "developmental",
        "Developmental care",
        "Esteem",
        [
            ("stimulation", "Stimulation", None),
            ("approval", "Approval", None),
            ("disapproval", "Disapproval", None),
            ("acceptance", "Acceptance", None),
        ],
    ),
]


def load(apps, schema_editor):
    FrameworkVersion = apps.get_model("assessments", "FrameworkVersion")
    Area = apps.get_model("assessments", "Area")
    SubArea = apps.get_model("assessments", "SubArea")
    FrameworkVersion.objects.filter(is_current=True).update(is_current=False)
    version = FrameworkVersion.objects.create(code=CODE, name=NAME, is_current=True)
    for area_order, (code, label, description, sub_areas) in enumerate(AREAS, start=1):
        area = Area.objects.create(
            framework=version, code=code, label=label, description=description, ordering=area_order
        )
        for sub_order, (sub_code, sub_label, min_age) in enumerate(sub_areas, start=1):
            SubArea.objects.create(
                area=area, code=sub_code, label=sub_label, ordering=sub_order, min_age_years=min_age
            )


def unload(apps, schema_editor):
    apps.get_model("assessments", "FrameworkVersion").objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_gcp2_framework_and_assessments")]

    operations = [migrations.RunPython(load, unload)]
