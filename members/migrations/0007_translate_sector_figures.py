"""The reference figures' labels and units in Arabic and English, and "more than 500 companies"
said as a lower bound instead of the unit "entreprises (plus de)"."""

from django.db import migrations

# key: (label_ar, label_en, unit_ar, unit_en)
TRANSLATIONS = {
    "jobs": ("مناصب الشغل في قطاع علاقة الزبون", "Jobs in the customer-relations sector", "منصب شغل", "jobs"),
    "export_revenue": ("رقم المعاملات عند التصدير", "Export revenue", "مليار درهم", "bn MAD"),
    "jobs_created": ("مناصب الشغل المباشرة المحدثة", "Direct jobs created", "منصب شغل", "jobs"),
    "major_operators": (
        "كبار الفاعلين الأعضاء في الجمعية المغربية لعلاقة الزبون",
        "Major operators, members of the AMRC",
        "شركة",
        "companies",
    ),
    "major_operators_share": (
        "حصة الأعضاء في الجمعية المغربية لعلاقة الزبون من مناصب الشغل في القطاع",
        "Share of the sector's jobs held by AMRC members",
        "%",
        "%",
    ),
    "small_structures": ("الشركات الصغيرة في القطاع", "Small businesses in the sector", "شركة", "companies"),
}
LOWER_BOUNDS = {"small_structures": ("entreprises (plus de)", "entreprises")}


def translate_figures(apps, schema_editor):
    SectorFigure = apps.get_model("members", "SectorFigure")
    for key, (label_ar, label_en, unit_ar, unit_en) in TRANSLATIONS.items():
        SectorFigure.objects.filter(key=key).update(label_ar=label_ar, label_en=label_en, unit_ar=unit_ar, unit_en=unit_en)
    for key, (old_unit, unit) in LOWER_BOUNDS.items():
        SectorFigure.objects.filter(key=key, unit=old_unit).update(unit=unit, is_lower_bound=True)


def untranslate_figures(apps, schema_editor):
    SectorFigure = apps.get_model("members", "SectorFigure")
    SectorFigure.objects.filter(key__in=TRANSLATIONS).update(label_ar="", label_en="", unit_ar="", unit_en="")
    for key, (old_unit, unit) in LOWER_BOUNDS.items():
        SectorFigure.objects.filter(key=key, unit=unit, is_lower_bound=True).update(unit=old_unit, is_lower_bound=False)


class Migration(migrations.Migration):
    dependencies = [("members", "0006_sector_figure_translations")]
    operations = [migrations.RunPython(translate_figures, untranslate_figures)]
