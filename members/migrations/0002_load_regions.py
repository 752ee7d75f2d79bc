"""The 12 regions of Morocco (2015 administrative division), with their ISO 3166-2 codes."""

from django.db import migrations

REGIONS = [
    ("MA-01", "Tanger-Tétouan-Al Hoceïma", "طنجة تطوان الحسيمة"),
    ("MA-02", "L'Oriental", "الشرق"),
    ("MA-03", "Fès-Meknès", "فاس مكناس"),
    ("MA-04", "Rabat-Salé-Kénitra", "الرباط سلا القنيطرة"),
    ("MA-05", "Béni Mellal-Khénifra", "بني ملال خنيفرة"),
    ("MA-06", "Casablanca-Settat", "الدار البيضاء سطات"),
    ("MA-07", "Marrakech-Safi", "مراكش آسفي"),
    ("MA-08", "Drâa-Tafilalet", "درعة تافيلالت"),
    ("MA-09", "Souss-Massa", "سوس ماسة"),
    ("MA-10", "Guelmim-Oued Noun", "كلميم واد نون"),
    ("MA-11", "Laâyoune-Sakia El Hamra", "العيون الساقية الحمراء"),
    ("MA-12", "Dakhla-Oued Ed-Dahab", "الداخلة وادي الذهب"),
]


def load_regions(apps, schema_editor):
    Region = apps.get_model("members", "Region")
    for code, name_fr, name_ar in REGIONS:
        Region.objects.update_or_create(code=code, defaults={"name_fr": name_fr, "name_ar": name_ar})


def unload_regions(apps, schema_editor):
    apps.get_model("members", "Region").objects.filter(code__in=[code for code, _, _ in REGIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]
    operations = [migrations.RunPython(load_regions, unload_regions)]
