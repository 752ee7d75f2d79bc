import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from demo import scale
from demo.builder import DemoContext


class Command(BaseCommand):
    help = gettext_lazy(
        "Remplit la base avec le monde de la démonstration à grande échelle, pour les mesures de "
        "performance : N entreprises (les 20 membres de la démonstration, puis des petits opérateurs "
        "tirés comme les siens) et M campagnes hebdomadaires à partir du 16 mars 2020, dont la dernière "
        "est la campagne de démonstration ouverte, avec les déclarations, leurs réponses et les bulletins "
        "publiés des semaines clôturées. Une deuxième exécution n'ajoute rien ; une exécution interrompue "
        "reprend où elle s'était arrêtée. Les comptes de démonstration y ouvrent une session."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--companies",
            type=int,
            default=10_000,
            help=gettext_lazy("Nombre d'entreprises (au moins %(minimum)s).") % {"minimum": scale.MINIMUM_COMPANIES},
        )
        parser.add_argument(
            "--campaigns",
            type=int,
            default=50,
            help=gettext_lazy("Nombre de campagnes, la campagne ouverte comprise (au moins %(minimum)s).")
            % {"minimum": scale.MINIMUM_CAMPAIGNS},
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=gettext_lazy(
                "Lancer même si DEBUG est désactivé (les comptes de démonstration ont un mot de passe connu)."
            ),
        )

    def handle(self, *args, companies: int, campaigns: int, force: bool = False, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "seed_scale crée les comptes de la démonstration, au mot de passe public : refusé quand DEBUG "
                    "est désactivé. Ajoutez --force si cette base est bien une base de mesure."
                )
            )
        for option, value, minimum in (
            ("--companies", companies, scale.MINIMUM_COMPANIES),
            ("--campaigns", campaigns, scale.MINIMUM_CAMPAIGNS),
        ):
            if value < minimum:
                raise CommandError(
                    _("%(option)s doit valoir au moins %(minimum)s.") % {"option": option, "minimum": minimum}
                )
        started = time.perf_counter()

        def report(line: str) -> None:
            self.stdout.write(f"  {line} ({time.perf_counter() - started:.0f} s)")

        scale.seed_scale(
            demo=DemoContext(today=timezone.localdate()), companies=companies, campaigns=campaigns, report=report
        )
        done = _("Données à l'échelle prêtes en %(seconds).0f s.") % {"seconds": time.perf_counter() - started}
        self.stdout.write(self.style.SUCCESS(done))
