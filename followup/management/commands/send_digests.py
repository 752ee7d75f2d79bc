import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from followup.notifications import staff_digests_enqueue


class Command(BaseCommand):
    help = gettext_lazy(
        "Envoie à chaque membre du personnel qui l'a choisi le résumé d'une journée (la veille par défaut) : "
        "déclarations soumises, inscriptions d'entreprises. Un résumé n'est envoyé qu'une fois par personne et "
        "par jour : la commande peut être relancée sans risque. Les e-mails partent en arrière-plan "
        "(manage.py db_worker)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            metavar="AAAA-MM-JJ",
            help=gettext_lazy("La journée à résumer (par défaut : hier)."),
        )

    def handle(self, *args, date: str | None, **options) -> None:
        if date:
            try:
                day = datetime.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(_("Date invalide : %(date)s (attendu : AAAA-MM-JJ).") % {"date": date}) from exc
        else:
            day = timezone.localdate() - datetime.timedelta(days=1)
        if day >= timezone.localdate():
            raise CommandError(_("Seule une journée terminée peut être résumée."))
        count = staff_digests_enqueue(day=day)
        self.stdout.write(
            _("Résumé du %(day)s : %(count)s destinataires en file.") % {"day": day.isoformat(), "count": count}
        )
