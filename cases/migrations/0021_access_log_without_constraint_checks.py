# The access log without foreign-key constraint checks or single-column indexes its composite
# indexes already cover (see AccessLogEntry).
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0020_lead_figure_tallies"),
    ]

    operations = [
        migrations.AlterField(
            model_name="accesslogentry",
            name="agency",
            field=models.ForeignKey(
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cases.agency",
            ),
        ),
        migrations.AlterField(
            model_name="accesslogentry",
            name="child",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cases.child",
            ),
        ),
        migrations.AlterField(
            model_name="accesslogentry",
            name="practitioner",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
