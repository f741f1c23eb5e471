"""Seeded sample LOM records for tests: the generator the demo data and `bench/` use too.

It lives in `metadata.samples` (installed code, because `lectern demo` builds the demo data from the
project itself); tests import it from here so that fixtures have one place to look.
"""
from __future__ import annotations

from metadata.samples import DEFAULT_SIZE, generate_record, generate_records, record_id

__all__ = ["DEFAULT_SIZE", "generate_record", "generate_records", "record_id"]
