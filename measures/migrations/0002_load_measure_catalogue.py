"""The measures a contact centre takes or asks for in a sanitary crisis.

Modelled on the sector's sanitary charter for contact centres (2020) and on the support
measures the State opened to companies (CNSS allowance, deferrals, guaranteed credit).
"""

from django.db import migrations

# code, category, French, Arabic, English, counts employees
MEASURES = [
    ("hygiene-protocol", "sanitary", "Protocole d'hygiène affiché et appliqué", "بروتوكول النظافة معلن ومطبق", "Hygiene protocol posted and applied", False),
    ("workstation-distancing", "sanitary", "Distanciation entre les positions de travail (1 m minimum)", "التباعد بين مراكز العمل (متر واحد على الأقل)", "Distancing between workstations (at least 1 m)", False),
    ("masks", "sanitary", "Masques fournis aux salariés sur site", "توفير الكمامات للأجراء في الموقع", "Masks provided to on-site staff", True),
    ("hand-sanitiser", "sanitary", "Gel hydroalcoolique à disposition", "توفير المعقم الكحولي", "Hand sanitiser available", False),
    ("temperature-checks", "sanitary", "Prise de température à l'entrée", "قياس الحرارة عند الدخول", "Temperature checks at the entrance", False),
    ("disinfection", "sanitary", "Désinfection quotidienne des plateaux et des postes", "التعقيم اليومي للفضاءات والمراكز", "Daily disinfection of floors and workstations", False),
    ("personal-headsets", "sanitary", "Casques individuels, non partagés", "سماعات فردية غير مشتركة", "Personal, unshared headsets", False),
    ("staff-transport", "sanitary", "Transport du personnel organisé et aménagé", "نقل الأجراء منظم ومهيأ", "Staff transport organised and adapted", True),
    ("covid-referent", "sanitary", "Référent COVID-19 désigné", "تعيين مرجع كوفيد-19", "COVID-19 referent appointed", False),
    ("telework-equipment", "telework", "Équipement des salariés en télétravail (poste, casque)", "تجهيز الأجراء عن بعد (حاسوب، سماعة)", "Equipment for teleworkers (computer, headset)", True),
    ("telework-connectivity", "telework", "Connexion internet fournie ou prise en charge", "توفير أو تحمل تكلفة الربط بالإنترنت", "Internet connection provided or paid", True),
    ("telework-security", "telework", "Accès sécurisé (VPN) et accord des clients donneurs d'ordre", "ولوج آمن (VPN) وموافقة الزبناء", "Secure access (VPN) and clients' approval", False),
    ("telework-supervision", "telework", "Supervision et formation à distance", "الإشراف والتكوين عن بعد", "Remote supervision and training", False),
    ("paid-leave", "employment", "Congés payés anticipés", "العطل المؤدى عنها المسبقة", "Paid leave brought forward", True),
    ("shift-rotation", "employment", "Rotation des équipes sur site", "تناوب الفرق في الموقع", "On-site shift rotation", True),
    ("hiring-freeze", "employment", "Gel des recrutements", "تجميد التوظيف", "Hiring freeze", False),
    ("cnss-allowance", "support", "Indemnité CNSS pour arrêt d'activité (COVID-19)", "التعويض الجزافي للضمان الاجتماعي (كوفيد-19)", "CNSS allowance for work stoppage (COVID-19)", True),
    ("social-charges-deferral", "support", "Report des charges sociales", "تأجيل أداء التحملات الاجتماعية", "Deferral of social charges", False),
    ("tax-deferral", "support", "Report des échéances fiscales", "تأجيل الآجال الضريبية", "Deferral of tax payments", False),
    ("guaranteed-credit", "support", "Crédit de trésorerie garanti (Damane Oxygène)", "قرض خزينة مضمون (ضمان أوكسجين)", "State-guaranteed cash credit (Damane Oxygène)", False),
    ("loan-moratorium", "support", "Moratoire sur les échéances bancaires", "تأجيل سداد الأقساط البنكية", "Moratorium on bank loan repayments", False),
    ("telework-support", "support", "Aide à l'équipement en télétravail", "دعم تجهيز العمل عن بعد", "Support for telework equipment", False),
]


def load_measures(apps, schema_editor):
    Measure = apps.get_model("measures", "Measure")
    for order, (code, category, name_fr, name_ar, name_en, counts) in enumerate(MEASURES, start=1):
        Measure.objects.update_or_create(
            code=code,
            defaults={
                "category": category,
                "name_fr": name_fr,
                "name_ar": name_ar,
                "name_en": name_en,
                "counts_employees": counts,
                "order": order,
            },
        )


def unload_measures(apps, schema_editor):
    apps.get_model("measures", "Measure").objects.filter(code__in=[m[0] for m in MEASURES]).delete()


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_initial")]
    operations = [migrations.RunPython(load_measures, unload_measures)]
