"""Lectern's metadata core: LOM and Dublin Core records, their schemas, crosswalks and validation.

The public API is re-exported here; each engineer adds the lines for their module.
"""
from __future__ import annotations

from .lom import read_lom, write_lom

__all__ = ["read_lom", "write_lom"]

from .crosswalk import dc_to_lom, lom_to_dc  # noqa: E402
from .dc import read_dc, write_oai_dc  # noqa: E402

__all__ += ["lom_to_dc", "dc_to_lom", "read_dc", "write_oai_dc"]

from .profiles import Profile  # noqa: E402
from .validation import Problem, RecordResult, check, validate  # noqa: E402

__all__ += ["Profile", "Problem", "RecordResult", "check", "validate"]
