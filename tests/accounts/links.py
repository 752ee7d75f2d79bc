"""Find the links an e-mail carries, as paths the test client can open."""

import re
from urllib.parse import urlsplit

from django.core.mail import EmailMessage

_URL = re.compile(r"https?://\S+")


def link_in(message: EmailMessage, path_prefix: str) -> str:
    """The path of the first link in `message` whose path starts with `path_prefix`."""
    for url in _URL.findall(message.body):
        path = urlsplit(url).path
        if path.startswith(path_prefix):
            return path
    raise AssertionError(f"No link to {path_prefix} in:\n{message.body}")
