"""Small helpers shared by the tests of every app."""

from __future__ import annotations

import html
import re

from django.contrib.messages import get_messages
from django.test import Client


def english(client: Client) -> Client:
    """The client asks for pages in English (the language switch's cookie); assertions read English msgids."""
    client.cookies["django_language"] = "en"
    return client


def page_text(response) -> str:
    """The page as a person reads it: tags removed, entities decoded, white space collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def messages_of(response) -> list[str]:
    """The flash messages a request left for the next page."""
    return [str(m) for m in get_messages(response.wsgi_request)]
