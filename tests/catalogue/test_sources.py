"""`catalogue.sources`: configured partners, their harvest state, due times, removal."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from catalogue import harvested, runs, sources, summaries
from catalogue.db import Database
from catalogue.errors import Conflict, NotFound
from catalogue.models import Base
from metadata.errors import UnknownProfileError
from metadata.provenance import Origin
from metadata.xmlsafe import fromstring
from tests.support.records import generate_record

NOW = datetime(2025, 6, 1, 12, 0, 0)
BASE = "http://partner.example.org/oai"


def _origin(identifier: str, datestamp: str = "2025-05-01T00:00:00Z") -> Origin:
    return Origin(BASE, identifier, datestamp, "http://ltsc.ieee.org/xsd/LOM", NOW)


def test_migrations_create_exactly_the_tables_the_models_describe(catalogue: Database) -> None:
    with catalogue.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []


def test_added_source_keeps_its_settings(catalogue: Database) -> None:
    with catalogue.writing() as session:
        added = sources.add(session, "edurep", BASE, prefix="lom", set_specs=["vo", "po", "vo"], cron="0 2 * * *",
                            policy="moderate", profile="lectern", next_due=NOW, now=NOW)
    with catalogue.reading() as session:
        assert sources.get(session, "edurep") == added
    assert (added.prefix, added.set_specs, added.cron, added.every_seconds) == ("lom", ("vo", "po"), "0 2 * * *", None)
    assert (added.policy, added.profile, added.next_due, added.scheduled) == ("moderate", "lectern", NOW, True)


def test_source_defaults_are_auto_publish_lom_loose_and_by_hand(catalogue: Database) -> None:
    with catalogue.writing() as session:
        added = sources.add(session, "plain", BASE, now=NOW)
    assert (added.prefix, added.policy, added.profile, added.scheduled) == ("auto", "publish", "lom-loose", False)


def test_a_taken_name_is_a_conflict(catalogue: Database) -> None:
    with catalogue.writing() as session:
        sources.add(session, "edurep", BASE, now=NOW)
    with pytest.raises(Conflict), catalogue.writing() as session:
        sources.add(session, "edurep", BASE + "2", now=NOW)


@pytest.mark.parametrize("changes,complaint", [
    ({"name": "Edu Rep"}, "source name"),
    ({"name": "-edu"}, "source name"),
    ({"base_url": "ftp://x.org/oai"}, "base URL"),
    ({"prefix": "marc"}, "prefix 'marc'"),
    ({"policy": "hide"}, "policy 'hide'"),
    ({"set_specs": ["a b"]}, "set spec"),
    ({"every_seconds": 60, "cron": "* * * * *"}, "not both"),
])
def test_unusable_settings_are_refused_with_the_setting_named(catalogue: Database, changes: dict, complaint: str) -> None:
    arguments = {"name": "edu", "base_url": BASE, **changes}
    with pytest.raises(sources.SourceError, match=complaint), catalogue.writing() as session:
        sources.add(session, **arguments, now=NOW)


def test_an_unknown_profile_is_refused(catalogue: Database) -> None:
    with pytest.raises(UnknownProfileError), catalogue.writing() as session:
        sources.add(session, "edu", BASE, profile="nonesuch", now=NOW)


def test_due_lists_sources_whose_time_has_come_longest_waiting_first(catalogue: Database) -> None:
    with catalogue.writing() as session:
        sources.add(session, "later", BASE, every_seconds=60, next_due=NOW + timedelta(minutes=1), now=NOW)
        sources.add(session, "recent", BASE, every_seconds=60, next_due=NOW - timedelta(minutes=1), now=NOW)
        sources.add(session, "oldest", BASE, every_seconds=60, next_due=NOW - timedelta(hours=1), now=NOW)
        sources.add(session, "by-hand", BASE, now=NOW)
    with catalogue.reading() as session:
        assert [source.name for source in sources.due(session, NOW)] == ["oldest", "recent"]


def test_learn_succeeded_and_schedule_update_the_harvest_state(catalogue: Database) -> None:
    with catalogue.writing() as session:
        added = sources.add(session, "edu", BASE, now=NOW)
        sources.learn(session, added.id, granularity="YYYY-MM-DD", deleted_record="no", earliest_datestamp="2001-01-01")
        sources.succeeded(session, added.id, "2025-06-01T11:59:58Z", full_refresh=NOW)
        sources.schedule(session, added.id, NOW + timedelta(days=1))
    with catalogue.reading() as session:
        state = sources.get(session, "edu")
    assert (state.granularity, state.deleted_record, state.earliest_datestamp) == ("YYYY-MM-DD", "no", "2001-01-01")
    assert (state.last_response_date, state.last_full_refresh) == ("2025-06-01T11:59:58Z", NOW)
    assert state.next_due == NOW + timedelta(days=1)


def test_removing_a_source_tombstones_and_detaches_its_records_and_drops_its_runs(catalogue: Database) -> None:
    with catalogue.writing() as session:
        source = sources.add(session, "edu", BASE, now=NOW)
        for index in range(2):
            harvested.store(session, source.id, fromstring(generate_record(index)), _origin(f"oai:e:{index}"),
                            status="published", now=NOW)
        run_id, _ = runs.begin(session, source.id, now=NOW)
        runs.save_checkpoint(session, source.id, run_id, runs.Position("ListRecords:", "lom", None, None, None), now=NOW)
    with catalogue.writing() as session:
        assert sources.remove(session, "edu", now=NOW) == 2
    with catalogue.reading() as session:
        lines = list(summaries.every(session))
        assert [(line.local_id, line.deleted) for line in lines] == [("edu:oai:e:0", True), ("edu:oai:e:1", True)]
        assert sources.every_source(session) == [] and runs.history(session) == []
        with pytest.raises(NotFound):
            sources.get(session, "edu")


def test_a_source_added_again_under_its_name_revives_its_records(catalogue: Database) -> None:
    with catalogue.writing() as session:
        first = sources.add(session, "edu", BASE, now=NOW)
        harvested.store(session, first.id, fromstring(generate_record(0)), _origin("oai:e:0"), status="published", now=NOW)
    with catalogue.writing() as session:
        sources.remove(session, "edu", now=NOW)
        again = sources.add(session, "edu", BASE, now=NOW)
        stored = harvested.store(session, again.id, fromstring(generate_record(0)), _origin("oai:e:0"),
                                 status="published", now=NOW)
    assert (stored.local_id, stored.change) == ("edu:oai:e:0", "updated")
    with catalogue.reading() as session:
        assert [line.deleted for line in harvested.every_from(session, "edu")] == [False]
