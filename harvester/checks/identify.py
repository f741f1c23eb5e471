"""Identify: the required elements and the values a harvester relies on (spec 4.2).

A harvester reads granularity and earliestDatestamp to build its from/until window, deletedRecord to
know whether deletions are reported, and the oai-identifier description to split identifiers; a
wrong value here quietly breaks every later harvest, so each is checked on its own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from metadata.datestamps import DAY, SECONDS, granularity_of
from metadata.namespaces import OAI_IDENTIFIER

from .probe import Exchange, Probe

_REQUIRED = ("repositoryName", "baseURL", "protocolVersion", "adminEmail", "earliestDatestamp",
             "deletedRecord", "granularity")
_DELETED_RECORD = ("no", "transient", "persistent")
_EMAIL = re.compile(r"\S+@(\S+\.)+\S+\Z")
_DESCRIPTION = {"id": OAI_IDENTIFIER}


@dataclass(frozen=True)
class Repository:
    """What the rest of the battery needs from Identify. `granularity` is the declared one when it is
    valid, else the granularity of earliestDatestamp (day as the last resort)."""

    granularity: str
    earliest: str | None
    deleted_record: str
    repository_identifier: str | None
    """From the oai-identifier description; None when there is none."""


def check(probe: Probe) -> Repository | None:
    """Ask Identify and check it; None when there is no usable Identify answer."""
    exchange = probe.ask([("verb", "Identify")])
    if not probe.findings.add("verbs.Identify", exchange.answered, exchange.url, "an Identify answer",
                              exchange.failure):
        return None
    found = {name: exchange.text(f"oai:Identify/oai:{name}") for name in _REQUIRED}
    missing = [name for name, value in found.items() if not value]
    probe.findings.add("identify.required", not missing, exchange.url,
                       "every required element: " + ", ".join(_REQUIRED), "missing or empty: " + ", ".join(missing))
    _check_values(probe, exchange, found)
    granularity = found["granularity"] if found["granularity"] in (DAY, SECONDS) else None
    earliest = found["earliestDatestamp"] or None
    return Repository(
        granularity or (granularity_of(earliest) if earliest else None) or DAY,
        earliest,
        found["deletedRecord"] or "",
        _check_oai_identifier(probe, exchange),
    )


def _check_values(probe: Probe, exchange: Exchange, found: dict[str, str | None]) -> None:
    add, url = probe.findings.add, exchange.url
    add("identify.protocol-version", found["protocolVersion"] == "2.0", url, "protocolVersion 2.0",
        f"protocolVersion {found['protocolVersion']!r}")
    add("identify.base-url", found["baseURL"] == probe.base_url, url, f"baseURL {probe.base_url!r} (the URL asked)",
        f"baseURL {found['baseURL']!r}")
    granularity = found["granularity"]
    add("identify.granularity", granularity in (DAY, SECONDS), url, f"granularity {DAY} or {SECONDS}",
        f"granularity {granularity!r}")
    earliest = found["earliestDatestamp"]
    in_granularity = earliest is not None and granularity_of(earliest) == granularity
    add("identify.earliest-datestamp", in_granularity, url,
        f"earliestDatestamp in the declared granularity {granularity}", f"earliestDatestamp {earliest!r}")
    add("identify.deleted-record", found["deletedRecord"] in _DELETED_RECORD, url,
        "deletedRecord no, transient or persistent", f"deletedRecord {found['deletedRecord']!r}")
    emails = [(element.text or "").strip() for element in exchange.findall("oai:Identify/oai:adminEmail")]
    bad = [email for email in emails if not _EMAIL.match(email)]
    add("identify.admin-email", bool(emails) and not bad, url, "adminEmail addresses like name@example.org",
        f"adminEmail {', '.join(map(repr, bad))}" if bad else "no adminEmail")


def _check_oai_identifier(probe: Probe, exchange: Exchange) -> str | None:
    """The oai-identifier description's repository identifier; its sample must use it (the schema
    check has already judged the description's form)."""
    descriptions = exchange.findall("oai:Identify/oai:description/{%s}oai-identifier" % OAI_IDENTIFIER)
    if not descriptions:
        probe.findings.skip("identify.oai-identifier", "Identify has no oai-identifier description", exchange.url)
        return None
    description = descriptions[0]
    repository = (description.findtext("id:repositoryIdentifier", namespaces=_DESCRIPTION) or "").strip()
    delimiter = (description.findtext("id:delimiter", namespaces=_DESCRIPTION) or "").strip()
    sample = (description.findtext("id:sampleIdentifier", namespaces=_DESCRIPTION) or "").strip()
    prefix = f"oai:{repository}{delimiter}"
    probe.findings.add("identify.oai-identifier", bool(repository) and sample.startswith(prefix), exchange.url,
                       f"sampleIdentifier starting with {prefix!r}", f"sampleIdentifier {sample!r}")
    return repository or None
