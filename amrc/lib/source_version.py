"""A digest of the code that renders pages: what is kept rendered in a shared cache by one
release is not served by the next, which may render it differently."""

import hashlib
from functools import cache
from pathlib import Path

from django.conf import settings

# Tests and benchmarks render nothing the site serves.
_NOT_SERVED = {"tests", "bench"}
_RENDERING_SUFFIXES = {".py", ".html", ".txt", ".mo"}


def _rendering_folders() -> list[Path]:
    return sorted(
        folder
        for folder in settings.BASE_DIR.iterdir()
        if folder.is_dir()
        and folder.name not in _NOT_SERVED
        and ((folder / "__init__.py").is_file() or folder.name in ("templates", "locale"))
    )


@cache
def source_version() -> str:
    digest = hashlib.sha256()
    for folder in _rendering_folders():
        for file in sorted(folder.rglob("*")):
            if file.suffix in _RENDERING_SUFFIXES and file.is_file():
                digest.update(str(file.relative_to(settings.BASE_DIR)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:16]
