from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.ma import ice


def validate_ice(value: str) -> None:
    """The Identifiant Commun de l'Entreprise: 15 digits with an ISO 7064 mod 97-10 check."""
    try:
        ice.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _("ICE invalide : il compte 15 chiffres et se termine par une clé de contrôle. Vérifiez la saisie."),
            code="invalid_ice",
        ) from exc
