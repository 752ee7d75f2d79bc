"""Two-factor authentication for staff (django-otp): an authenticator application (TOTP) and
single-use backup codes. The admin requires a verified second factor (accounts.admin_site).

Only staff have devices; members log in with their password alone.
"""

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Application d'authentification"
BACKUP_DEVICE_NAME = "Codes de secours"
WRONG_CODE = _(
    "Ce code n'est pas valable. Saisissez le code affiché à cet instant par votre application "
    "(il change toutes les 30 secondes), ou l'un de vos codes de secours. Après plusieurs erreurs, "
    "patientez quelques secondes avant de réessayer."
)


def _compact(code: str) -> str:
    # People copy codes with spaces, and backup codes in capitals.
    return "".join(code.split()).lower()


def _is_totp_code(code: str) -> bool:
    return code.isdigit() and len(code) == 6


def user_has_two_factor(user: User) -> bool:
    """A device confirmed for this user: an application or backup codes."""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or StaticDevice.objects.filter(user=user, confirmed=True, token_set__isnull=False).exists()
    )


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The application being set up: the one already shown (a reload keeps its QR code), or a new
    one with a fresh secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
        device.full_clean()
        device.save()
    return device


def totp_secret(device: TOTPDevice) -> str:
    """The secret as an authenticator application asks for it by hand: base 32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


def totp_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an SVG QR code, drawn with paths only (no style attribute)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")


def totp_device_confirm(*, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the application with a code it shows; it replaces any previous one. Return a new set
    of backup codes, to show once."""
    code = _compact(code)
    if not (_is_totp_code(code) and device.verify_token(code)):
        raise ValidationError({"code": ValidationError(WRONG_CODE, code="wrong_code")})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return backup_codes_renew(user=device.user)


def backup_codes_renew(*, user: User) -> list[str]:
    """Replace the user's backup codes with BACKUP_CODE_COUNT new ones, each usable once."""
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def backup_codes_remaining(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def two_factor_verify(*, user: User, code: str) -> Device | None:
    """The device that accepts `code`: six digits from the application, or a backup code (used up).
    Each device slows down after failures (django-otp's throttling)."""
    code = _compact(code)
    model = TOTPDevice if _is_totp_code(code) else StaticDevice
    with transaction.atomic():
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            if device.verify_token(code):
                return device
    return None
