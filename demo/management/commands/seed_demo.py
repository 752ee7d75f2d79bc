import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from demo import builder, follow_up, publication, sector

# In order: each step reads what the previous ones left in the context. A step is a function that
# takes the DemoContext, writes its rows in bulk and returns the line to print (or None); add new
# ones here.
STEPS = (
    builder.build_staff,
    builder.build_registry,
    builder.build_accounts,
    builder.build_campaigns,
    builder.build_declarations,
    builder.build_messages,
    follow_up.build_followup,
    publication.build_bulletins,
)

# Where `make run` serves the application.
SERVER_URL = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = gettext_lazy(
        "Remplit la base avec un secteur de démonstration : 20 membres AMRC et 500 petits opérateurs, "
        "dix semaines de déclarations à partir du 16 mars 2020, toutes clôturées, et une « Campagne de "
        "démonstration » ouverte. Pour qu'un déclarant de démonstration puisse la remplir aujourd'hui, "
        "celle-ci suit le jour où la commande est lancée : elle porte sur la dernière semaine complète "
        "terminée depuis au moins deux jours, est ouverte depuis le lendemain de cette semaine et se "
        "termine dans trois jours ; les dix semaines de 2020 gardent leurs propres dates. Relancer la "
        "commande remet les données de démonstration dans leur état initial (mots de passe compris) sans "
        "rien dupliquer ; les autres données ne sont pas touchées."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help=gettext_lazy(
                "Lancer même si DEBUG est désactivé (les comptes de démonstration ont un mot de passe connu)."
            ),
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "seed_demo crée un super-utilisateur au mot de passe public : refusé quand DEBUG est "
                    "désactivé. Ajoutez --force si cette base est bien une base de démonstration."
                )
            )
        started = time.perf_counter()
        demo = builder.DemoContext(today=timezone.localdate())
        with transaction.atomic():
            for step in STEPS:
                if summary := step(demo):
                    self.stdout.write(f"  {summary}")
        self.stdout.write(
            self.style.SUCCESS(
                _("Démonstration prête en %(seconds).1f s.") % {"seconds": time.perf_counter() - started}
            )
        )
        self.stdout.write(
            _("Site : %(site)s   Administration : %(admin)s")
            % {"site": SERVER_URL + reverse("public:home"), "admin": SERVER_URL + reverse("admin:index")}
        )
        width = max(len(login.label) for login in demo.logins)
        for login in demo.logins:
            self.stdout.write(f"  {login.label:<{width}}  {login.email:<26}  {login.password}")
        self.stdout.write(
            _(
                "Deuxième étape de l'administration (démonstration seulement) : clé d'application "
                "d'authentification %(key)s"
            )
            % {"key": sector.DEMO_TOTP_KEY}
        )
        self.stdout.write(
            _("  ou un code de secours, chacun une fois (relancer make seed les rétablit) : %(codes)s")
            % {"codes": " ".join(sector.DEMO_BACKUP_CODES)}
        )
