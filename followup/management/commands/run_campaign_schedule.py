from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from followup.models import CampaignSchedule
from followup.services import campaign_schedule_run


class Command(BaseCommand):
    help = gettext_lazy(
        "Ouvre les campagnes que les calendriers prévoient aujourd'hui et clôture celles dont la collecte est "
        "terminée. Sans effet quand tout est déjà à jour : la commande peut tourner toutes les heures."
    )

    def handle(self, *args, **options) -> None:
        today = timezone.localdate()
        for schedule in CampaignSchedule.objects.order_by("pk"):
            run = campaign_schedule_run(schedule=schedule, today=today)
            for campaign in run.opened:
                self.stdout.write(
                    _("%(schedule)s : « %(campaign)s » ouverte.") % {"schedule": schedule, "campaign": campaign}
                )
            for campaign in run.adopted:
                self.stdout.write(
                    _("%(schedule)s : « %(campaign)s » existait déjà pour cette période ; le calendrier la reprend.")
                    % {"schedule": schedule, "campaign": campaign}
                )
            for campaign in run.closed:
                self.stdout.write(
                    _("%(schedule)s : « %(campaign)s » clôturée.") % {"schedule": schedule, "campaign": campaign}
                )
