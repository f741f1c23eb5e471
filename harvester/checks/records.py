"""Records: what ListRecords and GetRecord deliver, each record judged against a profile.

Every record the battery harvests is validated with `metadata.validation` (the same verdicts as
`lectern validate` and the harvester's ingest) and nothing is stored. Its errors are reported here
only, once per record: the envelope's schema check leaves `<metadata>` to this module.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from lxml import etree

from metadata.errors import UnknownFormatError
from metadata.profiles import Profile
from metadata.validation import check as judge_records

from . import lists
from .envelope import NS
from .formats import Format
from .probe import Exchange, Header, Probe

_SHOWN = 3


class RecordJudge:
    """Judges the records of the pages it is shown, up to `limit` records."""

    def __init__(self, probe: Probe, chosen: Format, profile: str | Profile, limit: int) -> None:
        self.probe, self.chosen, self.profile, self.limit = probe, chosen, profile, limit
        self.judged = 0
        self._unjudged: set[str] = set()

    def page(self, exchange: Exchange) -> None:
        """Check the records of a ListRecords page: deleted status, namespace, validity."""
        records = exchange.findall("oai:*/oai:record")
        add, url = self.probe.findings.add, exchange.url
        misplaced = [_identifier(record) for record in records if _deleted(record) == _has_metadata(record)]
        add("records.deleted", not misplaced, url, "metadata in every record but the deleted ones (status=\"deleted\")",
            f"{len(misplaced)} records where this is not so, e.g. {', '.join(misplaced[:_SHOWN])}")
        payloads = [(record, child) for record in records for child in _payload(record)]
        namespaces = {etree.QName(child).namespace or "no namespace" for _, child in payloads}
        foreign = sorted(namespaces - {self.chosen.namespace})
        add("records.namespace", not foreign, url, f"metadata in the namespace of {self.chosen.prefix!r}: "
            f"{self.chosen.namespace}", f"metadata in {', '.join(foreign)}")
        for record, child in payloads:
            if self.judged >= self.limit:
                return
            self._judge(url, _identifier(record), child)

    def _judge(self, url: str, identifier: str, payload: etree._Element) -> None:
        try:
            results = list(judge_records(etree.tostring(payload), self.profile, identifier))
        except UnknownFormatError:
            namespace = etree.QName(payload).namespace or "no namespace"
            if namespace not in self._unjudged:
                self._unjudged.add(namespace)
                self.probe.findings.skip("records.valid", f"no profile judges records in namespace {namespace}", url)
            return
        self.judged += 1
        problems = [problem for result in results for problem in result.problems if problem.severity == "error"]
        name = "/".join(sorted({result.profile for result in results}))
        shown = "; ".join(f"{problem.path or 'record'}: {problem.message} [{problem.rule}]"
                          for problem in problems[:_SHOWN])
        self.probe.findings.add("records.valid", not problems, f"{url} (record {identifier})",
                                f"a record valid under the {name} profile", shown)


def _identifier(record: etree._Element) -> str:
    return (record.findtext("oai:header/oai:identifier", namespaces=NS) or "").strip()


def _deleted(record: etree._Element) -> bool:
    header = record.find("oai:header", namespaces=NS)
    return header is not None and header.get("status") == "deleted"


def _has_metadata(record: etree._Element) -> bool:
    return record.find("oai:metadata", namespaces=NS) is not None


def _payload(record: etree._Element) -> Iterable[etree._Element]:
    return record.iterfind("oai:metadata/*", namespaces=NS)


def check_list(probe: Probe, arguments: Sequence[tuple[str, str]], judge: RecordJudge, limit: int) -> lists.Walk:
    """Harvest ListRecords to its end (or `limit`), judging every record."""
    walked = lists.walk(probe, "ListRecords", arguments, limit, on_page=judge.page)
    probe.findings.add("verbs.ListRecords", walked.answered, walked.url, "a list of records (or noRecordsMatch)",
                       walked.failure)
    return walked


def check_get_record(probe: Probe, chosen: Format, listed: Sequence[Header]) -> None:
    """GetRecord of a listed record gives the header the list gave."""
    if not listed:
        probe.findings.skip("verbs.GetRecord", "no record was listed to ask for")
        return
    known = next((header for header in listed if not header.deleted), listed[0])
    exchange = probe.ask([("verb", "GetRecord"), ("identifier", known.identifier), ("metadataPrefix", chosen.prefix)])
    if not probe.findings.add("verbs.GetRecord", exchange.answered, exchange.url, "the record", exchange.failure):
        return
    got = exchange.headers()
    same = [(header.identifier, header.datestamp, header.deleted) for header in got]
    probe.findings.add("records.get-record", same == [(known.identifier, known.datestamp, known.deleted)], exchange.url,
                       f"the header the list gave: {known.identifier} {known.datestamp}"
                       + (" deleted" if known.deleted else ""),
                       "headers " + ", ".join(f"{identifier} {datestamp}" + (" deleted" if deleted else "")
                                              for identifier, datestamp, deleted in same))


def check_identifiers(probe: Probe, repository_identifier: str | None, walked: lists.Walk) -> None:
    """Identifiers follow the oai-identifier scheme the repository declares in Identify."""
    if repository_identifier is None:
        probe.findings.skip("records.identifiers", "Identify declares no oai-identifier scheme", walked.url)
        return
    prefix = f"oai:{repository_identifier}:"
    strays = [identifier for identifier in walked.items if not identifier.startswith(prefix)]
    probe.findings.add("records.identifiers", not strays, walked.url, f"identifiers starting with {prefix!r}",
                       f"{len(strays)} others, e.g. {', '.join(strays[:_SHOWN])}")
