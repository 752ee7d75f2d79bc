from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amrc.lib.labelled import labelled
from followup.services import reminder_batch_create
from measures.models import Campaign


class Command(BaseCommand):
    help = gettext_lazy(
        "Relance par e-mail les entreprises qui n'ont pas encore déclaré, pour les campagnes ouvertes : avant la "
        "date limite (--before-due) et/ou après elle, jusqu'au verrouillage (--after-due). Une entreprise n'est "
        "jamais relancée deux fois en 24 heures pour une campagne : la commande peut tourner chaque jour. Les "
        "e-mails partent en arrière-plan (manage.py db_worker)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--before-due",
            type=int,
            metavar="JOURS",
            help=gettext_lazy(
                "Relancer pour les campagnes dont la date limite tombe dans JOURS jours au plus "
                "(0 : le jour même seulement)."
            ),
        )
        parser.add_argument(
            "--after-due",
            action="store_true",
            help=gettext_lazy("Relancer pour les campagnes dont la date limite est passée mais pas le verrouillage."),
        )
        parser.add_argument(
            "--campaign",
            type=int,
            metavar="ID",
            help=gettext_lazy("Seulement cette campagne (dans la fenêtre choisie)."),
        )

    def handle(self, *args, before_due: int | None, after_due: bool, campaign: int | None, **options) -> None:
        if before_due is None and not after_due:
            raise CommandError(_("Précisez --before-due JOURS, --after-due, ou les deux."))
        if before_due is not None and before_due < 0:
            raise CommandError(_("--before-due attend un nombre de jours positif ou nul."))
        today = timezone.localdate()
        campaigns = Campaign.objects.open().filter(opens_on__lte=today).order_by("due_on", "pk")
        if campaign is not None:
            campaigns = campaigns.filter(pk=campaign)
        selected = [
            candidate
            for candidate in campaigns
            if (before_due is not None and 0 <= (candidate.due_on - today).days <= before_due)
            or (after_due and candidate.due_on < today <= candidate.locks_on)
        ]
        if not selected:
            self.stdout.write(_("Aucune campagne à relancer aujourd'hui."))
            return
        for candidate in selected:
            try:
                batch = reminder_batch_create(campaign=candidate, requested_by=None)
            except ValidationError as exc:
                self.stdout.write(labelled(candidate, " ".join(exc.messages)))
                continue
            self.stdout.write(
                _(
                    "%(campaign)s : %(count)s rappels en file (envoi n° %(batch)s), "
                    "%(skipped)s entreprises relancées il y a moins de 24 h."
                )
                % {
                    "campaign": candidate,
                    "count": batch.reminders.count(),
                    "batch": batch.pk,
                    "skipped": batch.skipped,
                }
            )
