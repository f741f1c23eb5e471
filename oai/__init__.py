"""The OAI-PMH 2.0 data provider: `handle(params, catalogue, settings) -> Reply`, no web framework."""
from __future__ import annotations

from .errors import OAIError
from .provider import Reply, handle
from .settings import ProviderSettings

__all__ = ["OAIError", "ProviderSettings", "Reply", "handle"]
