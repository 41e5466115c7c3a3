"""Small helpers shared by the tests of every app."""

from __future__ import annotations

from django.test import Client


def english(client: Client) -> Client:
    """The client asks for pages in English (the language switch's cookie); assertions read English msgids."""
    client.cookies["django_language"] = "en"
    return client
