"""Fixtures for the provider tests: settings with a small page and an endpoint over a real catalogue."""
from __future__ import annotations

from datetime import datetime

import pytest

from catalogue.db import Database
from metadata.samples import record_id
from oai.settings import ProviderSettings
from tests.support.oai import Endpoint

PAGE = 5
"""Page size of the tests: small, so boundaries (page − 1, page, page + 1, k·page) stay cheap."""
REPOSITORY = "lectern.example.org"
NOW = datetime(2025, 3, 14, 15, 9, 26)
"""The clock of every request and write that does not set its own."""


def oai_id(index: int) -> str:
    """The OAI identifier of sample record `index`."""
    return f"oai:{REPOSITORY}:{record_id(index)}"


@pytest.fixture
def provider_settings() -> ProviderSettings:
    return ProviderSettings(
        repository_name="Lectern test repository",
        base_url="http://lectern.example.org/oai",
        admin_emails=("oai@lectern.example.org",),
        repository_identifier=REPOSITORY,
        token_secret="test secret",
        page_size=PAGE,
    )


@pytest.fixture
def endpoint(catalogue: Database, provider_settings: ProviderSettings) -> Endpoint:
    return Endpoint(catalogue, provider_settings)
