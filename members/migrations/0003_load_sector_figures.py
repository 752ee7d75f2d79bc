"""The reference figures the association itself published; bulletins measure coverage against them."""

from decimal import Decimal

from django.db import migrations

FIGURES = [
    ("jobs", "Emplois dans le secteur de la relation client", Decimal("80000"), "emplois", "2019", "AMRC", 10),
    ("export_revenue", "Chiffre d'affaires à l'export", Decimal("11"), "Mds MAD", "2018", "AMRC", 20),
    ("jobs_created", "Emplois directs créés", Decimal("69900"), "emplois", "2014-2018", "AMRC", 30),
    ("major_operators", "Grands opérateurs membres de l'AMRC", Decimal("20"), "entreprises", "2020", "AMRC", 40),
    ("major_operators_share", "Part de l'emploi du secteur chez les membres de l'AMRC", Decimal("80"), "%", "2020", "AMRC", 50),
    ("small_structures", "Petites structures du secteur", Decimal("500"), "entreprises (plus de)", "2020", "AMRC", 60),
]


def load_figures(apps, schema_editor):
    SectorFigure = apps.get_model("members", "SectorFigure")
    for key, label, value, unit, year, source, order in FIGURES:
        SectorFigure.objects.update_or_create(
            key=key,
            defaults={"label": label, "value": value, "unit": unit, "year": year, "source": source, "order": order},
        )


def unload_figures(apps, schema_editor):
    apps.get_model("members", "SectorFigure").objects.filter(key__in=[f[0] for f in FIGURES]).delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0002_load_regions")]
    operations = [migrations.RunPython(load_figures, unload_figures)]
