"""Render the association's mark (static/img/favicon.svg) into the bitmap icons that browsers and
phones without SVG icons ask for: favicon.ico, the Apple touch icon and the manifest's icons.

The PNG and ICO files are committed beside the SVG; run this again after changing the mark. It
draws with Debian's Chromium through Playwright, like the browser tests: nothing is downloaded."""

import os
import struct
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext, gettext_lazy

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
IMAGES = Path(settings.BASE_DIR) / "static" / "img"
# name: (size, share of the canvas given to a margin). A maskable icon keeps its mark inside the
# central 80 % that every phone's mask leaves visible, on the mark's own colour.
ICONS = {
    "favicon-16.png": (16, 0),
    "favicon-32.png": (32, 0),
    "apple-touch-icon.png": (180, 0),
    "icon-192.png": (192, 0),
    "icon-512.png": (512, 0),
    "icon-maskable-512.png": (512, 0.1),
}
BACKGROUND = "#0b4f6c"


def ico(pngs: list[tuple[int, bytes]]) -> bytes:
    """An ICO file holding PNG images (read by every browser since 2007)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, data = b"", b""
    for size, png in pngs:
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), offset + len(data))
        data += png
    return header + entries + data


class Command(BaseCommand):
    help = gettext_lazy(
        "Dessine la marque de l'association (static/img/favicon.svg) en favicon.ico et en icônes PNG du manifeste."
    )

    def handle(self, *args, **options) -> None:
        if not CHROMIUM.exists():
            raise CommandError(
                gettext("Chromium est nécessaire à %(path)s (apt-get install chromium).") % {"path": CHROMIUM}
            )
        from playwright.sync_api import sync_playwright

        mark = (IMAGES / "favicon.svg").read_text(encoding="utf-8")
        svg = mark.replace("<svg ", '<svg width="100%" height="100%" ', 1)
        rendered: dict[str, bytes] = {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox"])
            for name, (size, margin) in ICONS.items():
                page = browser.new_page(viewport={"width": size, "height": size})
                inset = round(size * margin)
                background = BACKGROUND if margin else "transparent"
                page.set_content(
                    f'<html><body style="margin:0;background:{background}">'
                    f'<div style="padding:{inset}px;width:{size - 2 * inset}px;height:{size - 2 * inset}px">'
                    f"{svg}</div></body></html>"
                )
                rendered[name] = page.screenshot(omit_background=not margin, type="png")
                page.close()
            browser.close()
        for name, png in rendered.items():
            if name.startswith("favicon-"):
                continue
            (IMAGES / name).write_bytes(png)
        (IMAGES / "favicon.ico").write_bytes(ico([(16, rendered["favicon-16.png"]), (32, rendered["favicon-32.png"])]))
        self.stdout.write(gettext("Icônes écrites dans %(path)s.") % {"path": IMAGES})
