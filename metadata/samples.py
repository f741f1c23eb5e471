"""Seeded, deterministic sample LOM records: demo data, test input and benchmark load from one source.

Record `i` of seed `s` is drawn from its own `random.Random` seeded from `(s, i)` alone, so it is the
same bytes whether it is asked for directly (`generate_record`) or streamed (`generate_records`), on
any machine and Python version: every draw is `Random.random()` from an integer seed, the one sequence
Python promises not to change between versions.

Records are built as text from templates, not as lxml trees: a benchmark generates hundreds of
thousands of them and must measure the validator, not the generator. Templates take about 46 us a
record, random draws included (~20,000 records/s); building the same record as an lxml tree and
serialising it takes about 280 us, draws excluded. Every value is escaped
once, when this module loads (the pools in `metadata.sample_texts` are fixed), and the templates add
only markup, so every record is well formed by construction.

Each record is valid under the LOMv1.0 strict binding (vocabularies from `LOMv1.0`, each singleton
element at most once) and carries what the `lectern` admission profile asks for: identifier, title,
description, language, keywords, contributors with vCards, location URL, learning resource type,
context and/or typical age range, rights with a Creative Commons licence URL, and ISCED taxon paths.
"""
from __future__ import annotations

import datetime
import functools
import random
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from . import sample_texts as texts

DEFAULT_SIZE = 5000
"""Target record size in bytes. Each record aims within 15% of it by lengthening its descriptions; a
complete record is never under about 4 KB, so targets below 5 KB give records of 4-6 KB."""
ID_PREFIX = "lectern-demo-"
CATALOG = "lectern"

_SEED_STRIDE = 1 << 40  # record seed = seed * stride + index: distinct for every index below 2**40
_FIRST_DAY = datetime.date(2008, 1, 1)
_CREATED_DAYS = 16 * 365  # resources were created over 16 years; later dates follow within 2 years
_DAYS = tuple((_FIRST_DAY + datetime.timedelta(days=day)).isoformat() for day in range(_CREATED_DAYS + 730))
_PATH_SEGMENT = {"nl": "bronnen", "en": "resources", "fr": "ressources", "de": "materialien"}
_SIZE_BY_FORMAT = {  # plausible byte ranges of the resource itself
    "text/html": (8_000, 400_000), "image/png": (40_000, 2_000_000), "image/svg+xml": (5_000, 300_000),
    "text/csv": (1_000, 200_000), "application/pdf": (80_000, 8_000_000), "video/mp4": (20_000_000, 900_000_000),
}
_OTHER_ROLES = ("editor", "instructional designer", "graphical designer", "content provider",
                "subject matter expert", "technical implementer", "educational validator", "script writer")
_STRUCTURES = ("atomic", "atomic", "atomic", "linear", "hierarchical", "collection", "networked")
_LEVELS = ("very low", "low", "medium", "high", "very high")
_DIFFICULTIES = ("very easy", "easy", "medium", "medium", "difficult", "very difficult")


def _escaped(value: Any) -> Any:
    """The same structure with every string XML-escaped (quotes too: some land in attributes)."""
    if isinstance(value, str):
        return escape(value, {'"': "&quot;"})
    if isinstance(value, dict):
        return {key: _escaped(item) for key, item in value.items()}
    return tuple(_escaped(item) for item in value)


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


_SUBJECTS = tuple({**subject, "keywords": {language: tuple(words.split(";"))
                                            for language, words in subject["keywords"].items()}}
                  for subject in _escaped(texts.SUBJECTS))
_TOPIC_SLUGS = tuple(tuple(_slug(topic["en"]) for topic in subject["topics"]) for subject in texts.SUBJECTS)
_KINDS = _escaped(texts.KINDS)
_SETTINGS = _escaped(texts.SETTINGS)
_SENTENCES = _escaped(texts.SENTENCES)
_TITLES = _escaped(texts.TITLES)
_LICENCES = _escaped(texts.LICENCES)
_LICENCE_LEAD = _escaped(texts.LICENCE_LEAD)
_PEOPLE = {
    language: tuple((escape(given), escape(family), _slug(given), _slug(family).replace("-", ""))
                    for given, family in people)
    for language, people in texts.PEOPLE.items()
}
_PUBLISHERS = _escaped(texts.PUBLISHERS)


def _weighted(items: tuple, weights: tuple[int, ...]) -> tuple:
    """Each item repeated by its weight, so that one uniform pick is a weighted pick."""
    return tuple(item for item, weight in zip(items, weights) for _ in range(weight))


_LANGUAGE_DRAW = _weighted(texts.LANGUAGES, texts.LANGUAGE_WEIGHTS)
_SETTING_DRAW = _weighted(_SETTINGS, texts.SETTING_WEIGHTS)


def record_id(index: int) -> str:
    """The identifier (in catalog `lectern`) of sample record `index`, e.g. `lectern-demo-000042`."""
    return f"{ID_PREFIX}{index:06d}"


def generate_record(index: int, seed: int = 0, size: int = DEFAULT_SIZE) -> bytes:
    """Sample record `index` of `seed` as a standalone UTF-8 document, independent of any other record."""
    if not 0 <= index < _SEED_STRIDE or seed < 0:  # Random() seeds with abs(): a negative seed would collide
        raise ValueError(f"need 0 <= index < {_SEED_STRIDE} and seed >= 0, not index {index}, seed {seed}")
    rng = random.Random(seed * _SEED_STRIDE + index)
    return _Record(rng, index).render(size * (0.85 + 0.3 * rng.random())).encode("utf-8")


def generate_records(count: int, seed: int = 0, size: int = DEFAULT_SIZE) -> Iterator[bytes]:
    """Records 0 to `count` - 1 of `seed`, lazily (500,000 records of 5 KB never sit in memory at once)."""
    for index in range(count):
        yield generate_record(index, seed, size)


def write_demo(directory: Path, count: int = 200, seed: int = 0) -> list[Path]:
    """Write records 0 to `count` - 1 as `<id>.xml` into `directory`; return the paths written.

    Running it again rewrites the same files with the same bytes, and removes demo files left over from
    an earlier, larger `count` (only files named like demo records), so the folder always holds exactly
    the demo set asked for.
    """
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for index, record in enumerate(generate_records(count, seed)):
        path = directory / f"{record_id(index)}.xml"
        path.write_bytes(record)
        written.append(path)
    keep = set(written)
    for stale in directory.glob(f"{ID_PREFIX}*.xml"):
        if stale not in keep:
            stale.unlink()
    return written


def _pick(rng: random.Random, items: tuple) -> Any:
    return items[int(rng.random() * len(items))]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


@functools.cache
def _vocab(tag: str, value: str, pad: str) -> str:
    """A LOMv1.0 vocabulary element on one line (the pairs are few, so each is built once)."""
    return f"{pad}<{tag}><source>LOMv1.0</source><value>{value}</value></{tag}>\n"


def _langstring(tag: str, strings: list[tuple[str, str]], pad: str) -> str:
    if len(strings) == 1:
        (language, text), = strings
        return f'{pad}<{tag}><string language="{language}">{text}</string></{tag}>\n'
    inner = "".join(f'{pad}  <string language="{language}">{text}</string>\n' for language, text in strings)
    return f"{pad}<{tag}>\n{inner}{pad}</{tag}>\n"


def _identifier(catalog: str, entry: str, pad: str) -> str:
    return f"{pad}<identifier><catalog>{catalog}</catalog><entry>{entry}</entry></identifier>\n"


def _date(rng: random.Random, day: int) -> str:
    """A LOM dateTime on `day` (days since `_FIRST_DAY`), sometimes with a time of day and no zone.

    No `Z`: the LOMv1.0 binding's DateTime pattern accepts a zone only after fractional seconds.
    """
    if rng.random() < 0.3:
        return f"{_DAYS[day]}T{8 + int(rng.random() * 10):02d}:{int(rng.random() * 60):02d}:00"
    return _DAYS[day]


class _Record:
    """The draws one record is made of; each method renders one LOM category from them."""

    def __init__(self, rng: random.Random, index: int) -> None:
        self.rng, self.index, self._slots = rng, index, {}
        self.language = _pick(rng, _LANGUAGE_DRAW)
        self.second = self._second_language()
        self.subject_number = int(rng.random() * len(_SUBJECTS))
        self.subject = _SUBJECTS[self.subject_number]
        self.topic_number = int(rng.random() * len(self.subject["topics"]))
        self.kind = _pick(rng, _KINDS)
        self.setting = _pick(rng, _SETTING_DRAW)
        self.level = _pick(rng, self.setting[1])
        self.publisher = _pick(rng, _PUBLISHERS[self.language])
        self.created = int(rng.random() * _CREATED_DAYS)
        self.minutes = 5 * (2 + int(rng.random() * 24))
        self.location = (f"https://{self.publisher[1]}/{_PATH_SEGMENT[self.language]}/{index:06d}-"
                         f"{_TOPIC_SLUGS[self.subject_number][self.topic_number]}")

    def _second_language(self) -> str | None:
        if self.language != "en":
            return "en" if self.rng.random() < 0.5 else None
        return _pick(self.rng, ("nl", "fr", "de")) if self.rng.random() < 0.3 else None

    def languages(self) -> tuple[str, ...]:
        return (self.language, self.second) if self.second else (self.language,)

    def slots(self, language: str) -> dict[str, str]:
        """Values for the title and sentence templates, in `language`."""
        cached = self._slots.get(language)
        if cached is not None:
            return cached
        topic = self.subject["topics"][self.topic_number][language]
        cached = self._slots[language] = {"topic": topic, "Topic": _cap(topic), "kind": self.kind[3][language],
                "audience": self.setting[2][language], "subject": self.subject["name"][language],
                "Subject": self.subject["name"][language], "minutes": str(self.minutes)}
        return cached

    def render(self, target: float) -> str:
        head = '<?xml version="1.0" encoding="UTF-8"?>\n<lom xmlns="http://ltsc.ieee.org/xsd/LOM">\n'
        rest = [self.life_cycle(), self.meta_metadata(), self.technical(), self.educational(), self.rights(),
                self.relation(), self.classification(), "</lom>\n"]
        start, end = self.general_parts()
        budget = target - len(head) - len(start) - len(end) - sum(map(len, rest))
        return "".join([head, start, self.description(budget), end, *rest])

    def general_parts(self) -> tuple[str, str]:
        """The `general` category split where its description goes, which is sized last."""
        rng, pad = self.rng, "    "
        titles = [(language, _pick(rng, _TITLES[language]).format_map(self.slots(language)))
                  for language in self.languages()]
        start = "  <general>\n" + _identifier(CATALOG, record_id(self.index), pad)
        if rng.random() < 0.5:
            start += _identifier("URI", self.location, pad)
        start += _langstring("title", titles, pad) + f"{pad}<language>{self.language}</language>\n"
        slots = self.slots(self.language)
        words = [slots["topic"], slots["subject"], slots["kind"],
                 *self.subject["keywords"][self.language][: 1 + int(rng.random() * 3)]]
        end = "".join(_langstring("keyword", [(self.language, word)], pad) for word in words)
        end += _vocab("structure", _pick(rng, _STRUCTURES), pad)
        end += _vocab("aggregationLevel", _pick(rng, ("1", "1", "2", "2", "3")), pad) + "  </general>\n"
        return start, end

    def description(self, budget: float) -> str:
        """A description per language, each long enough that the record reaches its target size."""
        languages = self.languages()
        share = budget / len(languages) - 40
        strings = []
        for language in languages:
            slots = self.slots(language)
            sentences = [template.format_map(slots) for template in _SENTENCES[language]]
            parts, length = [sentences[0]], len(sentences[0])
            turn = int(self.rng.random() * len(sentences))
            while length < share:
                turn += 1  # the other sentences in turn, from a random one; the first opens every text
                parts.append(sentences[1 + turn % (len(sentences) - 1)])
                length += len(parts[-1]) + 1
            strings.append((language, " ".join(parts)))
        return _langstring("description", strings, "    ")

    def vcard(self, person: tuple[str, str, str, str]) -> str:
        return _person_vcard(person, self.publisher)

    def contribute(self, role: str, entities: list[str], day: int, pad: str = "    ") -> str:
        inner = "".join(f"{pad}  <entity>{entity}</entity>\n" for entity in entities)
        date = f"{pad}  <date><dateTime>{_date(self.rng, day)}</dateTime></date>\n"
        return f"{pad}<contribute>\n{_vocab('role', role, pad + '  ')}{inner}{date}{pad}</contribute>\n"

    def life_cycle(self) -> str:
        rng, people = self.rng, _PEOPLE[self.language]
        authors = [self.vcard(_pick(rng, people))]
        if rng.random() < 0.3:
            authors.append(self.vcard(_pick(rng, people)))
        published = self.created + int(rng.random() * 200)
        parts = ["  <lifeCycle>\n",
                 _langstring("version", [(self.language, f"{1 + int(rng.random() * 3)}.{int(rng.random() * 10)}")],
                             "    "),
                 _vocab("status", _pick(rng, ("final", "final", "final", "revised", "draft")), "    "),
                 self.contribute("author", authors, self.created),
                 self.contribute("publisher", [_organisation_vcard(self.publisher)], published)]
        if rng.random() < 0.4:
            parts.append(self.contribute(_pick(rng, _OTHER_ROLES), [self.vcard(_pick(rng, people))], published))
        parts.append("  </lifeCycle>\n")
        return "".join(parts)

    def meta_metadata(self) -> str:
        rng, people = self.rng, _PEOPLE[self.language]
        catalogued = self.created + 200 + int(rng.random() * 400)
        parts = ["  <metaMetadata>\n", self.contribute("creator", [self.vcard(_pick(rng, people))], catalogued)]
        if rng.random() < 0.2:
            parts.append(self.contribute("validator", [self.vcard(_pick(rng, people))], catalogued + 7))
        parts.append(f"    <metadataSchema>LOMv1.0</metadataSchema>\n    <language>{self.language}</language>\n"
                     "  </metaMetadata>\n")
        return "".join(parts)

    def technical(self) -> str:
        rng, mime = self.rng, self.kind[2]
        low, high = _SIZE_BY_FORMAT.get(mime, (200_000, 6_000_000))
        size = low + int(rng.random() * (high - low))
        parts = [f"  <technical>\n    <format>{mime}</format>\n    <size>{size}</size>\n"
                 f"    <location>{self.location}</location>\n"]
        if mime == "text/html":
            parts.append(self.requirement("browser", "any"))
        elif mime.startswith("application/vnd"):
            parts.append(self.requirement("operating system", "multi-os"))
        if mime == "video/mp4":
            parts.append(f"    <duration>\n      <duration>PT{self.minutes}M{int(rng.random() * 60)}S</duration>\n"
                         "    </duration>\n")
        parts.append("  </technical>\n")
        return "".join(parts)

    @staticmethod
    def requirement(kind: str, name: str) -> str:
        pad = "        "
        return (f"    <requirement>\n      <orComposite>\n{_vocab('type', kind, pad)}{_vocab('name', name, pad)}"
                "      </orComposite>\n    </requirement>\n")

    def educational(self) -> str:
        rng, pad, (resource_type, interactivity, _, _) = self.rng, "    ", self.kind
        parts = ["  <educational>\n", _vocab("interactivityType", interactivity, pad),
                 _vocab("learningResourceType", resource_type, pad)]
        if rng.random() < 0.25:
            other = _pick(rng, _KINDS)[0]
            if other != resource_type:
                parts.append(_vocab("learningResourceType", other, pad))
        level = {"active": _LEVELS[2:], "expositive": _LEVELS[:2]}.get(interactivity, _LEVELS[1:4])
        parts += [_vocab("interactivityLevel", _pick(rng, level), pad),
                  _vocab("semanticDensity", _pick(rng, _LEVELS), pad)]
        parts += [_vocab("intendedEndUserRole", role, pad) for role in self.end_user_roles()]
        shown = rng.random()  # mostly both; some records give only a context or only an age range
        if shown < 0.9:
            parts.append(_vocab("context", self.setting[0], pad))
        if shown > 0.1:
            parts.append(_langstring("typicalAgeRange", [("x-none", self.level[2])], pad))
        parts += [_vocab("difficulty", _pick(rng, _DIFFICULTIES), pad),
                  f"{pad}<typicalLearningTime>\n{pad}  <duration>PT{self.minutes}M</duration>\n"
                  f"{pad}</typicalLearningTime>\n",
                  f"{pad}<language>{self.language}</language>\n  </educational>\n"]
        return "".join(parts)

    def end_user_roles(self) -> tuple[str, ...]:
        roll = self.rng.random()
        if roll < 0.55:
            return ("learner",)
        if roll < 0.85:
            return ("learner", "teacher")
        return ("teacher",) if roll < 0.95 else (("author",) if roll < 0.975 else ("manager",))

    def rights(self) -> str:
        name, url = _pick(self.rng, _LICENCES)
        restricted = "no" if "publicdomain" in url else "yes"
        text = f"{_LICENCE_LEAD[self.language]} {name}: {url}"
        return ("  <rights>\n" + _vocab("cost", "yes" if self.rng.random() < 0.05 else "no", "    ")
                + _vocab("copyrightAndOtherRestrictions", restricted, "    ")
                + _langstring("description", [(self.language, text)], "    ") + "  </rights>\n")

    def relation(self) -> str:
        if self.index == 0 or self.rng.random() >= 0.25:
            return ""
        other = self.index - 1 - int(self.rng.random() * min(self.index, 50))
        kind = _pick(self.rng, ("ispartof", "references", "isbasedon", "requires"))
        return ("  <relation>\n" + _vocab("kind", kind, "    ") + "    <resource>\n"
                + _identifier(CATALOG, record_id(other), "      ") + "    </resource>\n  </relation>\n")

    def classification(self) -> str:
        return (_classification("discipline", "ISCED-F 2013", self.subject["path"])
                + _classification("educational level", "ISCED 2011", (self.level[:2],)))


@functools.cache
def _person_vcard(person: tuple[str, str, str, str], publisher: tuple[str, str]) -> str:
    given, family, given_slug, family_slug = person
    return (f"BEGIN:VCARD\nVERSION:3.0\nN:{family};{given};;;\nFN:{given} {family}\nORG:{publisher[0]}\n"
            f"EMAIL;TYPE=INTERNET:{given_slug}.{family_slug}@{publisher[1]}\nEND:VCARD")


@functools.cache
def _organisation_vcard(publisher: tuple[str, str]) -> str:
    name, domain = publisher
    return f"BEGIN:VCARD\nVERSION:3.0\nN:;;;;\nFN:{name}\nORG:{name}\nURL:https://{domain}/\nEND:VCARD"


@functools.cache
def _classification(purpose: str, source: str, taxa: tuple[tuple[str, str], ...]) -> str:
    pad = "      "
    steps = "".join(f'{pad}<taxon><id>{code}</id><entry><string language="en">{name}</string></entry></taxon>\n'
                    for code, name in taxa)
    return (f"  <classification>\n{_vocab('purpose', purpose, '    ')}    <taxonPath>\n"
            f"{_langstring('source', [('en', source)], pad)}{steps}    </taxonPath>\n  </classification>\n")
