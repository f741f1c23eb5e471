"""The OAI-PMH conformance battery: `lectern validate --oai URL`.

The check a librarian runs before a new partner goes live, and the one we run against our own
`/oai`: the checks of the openarchives.org registration validator and the Repository Explorer
(Identify, every verb, every error condition, date and set selectivity, resumption tokens to the
end, POST as well as GET, schema validity of every response), plus every harvested record judged
against a profile, with nothing stored. Requests go to the given base URL only, one at a time.

The battery learns the endpoint as it goes: Identify gives granularity and earliest datestamp,
ListMetadataFormats the format to harvest, ListSets the sets, the lists the identifiers and
datestamps that the selectivity checks and the bad requests are built from.
"""
from __future__ import annotations

from dataclasses import dataclass

from metadata.profiles import Profile
from metadata.validation import AUTO

from .checks import conditions, formats, identify, lists, methods, records, selectivity
from .checks.findings import FAIL, Finding, Findings, counts
from .checks.probe import Probe, Transport

DEFAULT_MAX_RECORDS = 1000
"""Records harvested and judged (and identifiers listed per list) before a walk stops."""


@dataclass(frozen=True)
class Options:
    """What to harvest: `prefix` (None: LOM if offered, else oai_dc), `set_spec`, the record bound
    and the profile records are judged by (`auto`: by kind, as `lectern validate`)."""

    prefix: str | None = None
    set_spec: str | None = None
    max_records: int = DEFAULT_MAX_RECORDS
    profile: str | Profile = AUTO


@dataclass(frozen=True)
class Report:
    """The findings of one run; `unusable` says why the battery could not run at all."""

    base_url: str
    findings: tuple[Finding, ...]
    unusable: str | None = None

    @property
    def counts(self) -> dict[str, int]:
        return counts(self.findings)

    @property
    def exit_code(self) -> int:
        """0 every check passed, 1 some failed, 2 the endpoint could not be checked."""
        if self.unusable is not None:
            return 2
        return 1 if any(finding.outcome == FAIL for finding in self.findings) else 0


def check_endpoint(base_url: str, transport: Transport, options: Options = Options()) -> Report:
    """Run the battery against the OAI-PMH endpoint at `base_url`."""
    findings = Findings()
    probe = Probe(base_url, transport, findings)
    repository = identify.check(probe)
    if repository is None:
        return Report(base_url, findings.all(), "Identify gave no usable OAI-PMH answer")
    chosen = formats.check(probe, options.prefix)
    set_walk = lists.walk(probe, "ListSets", (), options.max_records)
    sets = selectivity.check_set_list(probe, set_walk)
    if chosen is None:
        findings.skip("records.valid", "the endpoint offers no format to harvest")
        return Report(base_url, findings.all())
    _check_lists(probe, repository, chosen, sets, options)
    return Report(base_url, findings.all())


def _check_lists(probe: Probe, repository: identify.Repository, chosen: formats.Format,
                 sets: tuple[str, ...] | None, options: Options) -> None:
    """Everything that needs the endpoint's records: lists, selectivity, bad requests, POST."""
    limit = options.max_records
    base = [("metadataPrefix", chosen.prefix)]
    harvest = base + ([("set", options.set_spec)] if options.set_spec else [])
    listed = lists.walk(probe, "ListIdentifiers", harvest, limit)
    probe.findings.add("verbs.ListIdentifiers", listed.answered, listed.url, "a list of headers (or noRecordsMatch)",
                       listed.failure)
    judge = records.RecordJudge(probe, chosen, options.profile, limit)
    records.check_list(probe, harvest, judge, limit)
    records.check_get_record(probe, chosen, listed.headers)
    records.check_identifiers(probe, repository.repository_identifier, listed)
    known = next((header.identifier for header in listed.headers if not header.deleted), None)
    if known is not None:
        formats.check_item(probe, known, chosen)
    selectivity.check_datestamps(probe, repository, listed)
    selectivity.check_dates(probe, repository, harvest, listed, limit)
    selectivity.check_sets(probe, base, sets, options.set_spec, listed, limit)
    conditions.check(probe, conditions.Known(repository, chosen.prefix, known, sets))
    methods.check(probe, _post_requests(chosen.prefix, known))


def _post_requests(prefix: str, identifier: str | None) -> list[list[tuple[str, str]]]:
    """A request of each kind to compare between GET and POST, an error among them."""
    asked = [[("verb", "Identify")], [("verb", "ListMetadataFormats")],
             [("verb", "ListIdentifiers"), ("metadataPrefix", prefix)], [("verb", "NoSuchVerb")]]
    if identifier is not None:
        asked.append([("verb", "GetRecord"), ("identifier", identifier), ("metadataPrefix", prefix)])
    return asked
