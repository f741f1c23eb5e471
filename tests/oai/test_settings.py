"""oai/settings.py: provider settings are checked once, when they are made."""
from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from oai.settings import DEFAULT_PAGE_SIZE, DEFAULT_TOKEN_LIFETIME, ProviderSettings

GOOD = dict(
    repository_name="Lectern", base_url="http://lectern.example.org/oai", admin_emails=("oai@example.org",),
    repository_identifier="lectern.example.org", token_secret="secret",
)


def test_defaults_are_a_page_of_200_and_tokens_that_live_a_week() -> None:
    settings = ProviderSettings(**GOOD)
    assert (settings.page_size, settings.token_lifetime) == (DEFAULT_PAGE_SIZE, DEFAULT_TOKEN_LIFETIME) == (200, timedelta(days=7))
    assert (settings.friends, settings.stylesheet_url) == ((), None)


@pytest.mark.parametrize("identifier", ["lectern", "lectern.", "1lectern.org", "lectern_x.org", "oai:lectern.org"])
def test_repository_identifier_must_be_a_domain_name(identifier: str) -> None:
    with pytest.raises(ValueError, match="domain name"):
        ProviderSettings(**{**GOOD, "repository_identifier": identifier})


@pytest.mark.parametrize("emails", [(), ("oai",), ("oai@localhost",), ("oai@example.org", "x y@z")])
def test_admin_emails_must_be_addresses(emails: tuple[str, ...]) -> None:
    with pytest.raises(ValueError, match="e-mail"):
        ProviderSettings(**{**GOOD, "admin_emails": emails})


@pytest.mark.parametrize("change,message", [
    ({"page_size": 0}, "page size"),
    ({"token_secret": ""}, "secret"),
    ({"token_lifetime": timedelta(0)}, "lifetime"),
])
def test_unusable_paging_settings_are_refused(change: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ProviderSettings(**{**GOOD, **change})


def test_settings_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        ProviderSettings(**GOOD).page_size = 5  # type: ignore[misc]
