"""Reading the cells of a spreadsheet of ties: statuses, relations, types and spheres by name (in
English or Spanish), confidences, dates, weights and addresses.

Names are read from the ontology — the local names, labels and `skos:altLabel`s of its classes and
concepts, compared case-, accent- and punctuation-insensitively (`hilos.text.normalise`), as
`hilos.terms` reads them for `hilos claim` and `hilos types`: no synonym is invented here (the
words journalists write for a status or a sphere, "presunta", "estatal", are the ontology's).
A cell that cannot be read raises `BadValue`, whose message names the value and says what was
expected; an unknown type comes with the closest known ones
(`hilos.terms.closest`).

Nothing here touches the store but `Terms.from_store`, which reads the store's ontology once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from pyoxigraph import Literal, NamedNode

from .. import sparql
from ..errors import message as _
from ..namespaces import HILOS_NS, XSD
from ..store import Store, solutions
from ..terms import Term as OntologyTerm
from ..terms import Terms as OntologyTerms
from ..terms import closest, concept_names
from ..text import normalise
from ..vocab import Concept, kind_of, vocabulary

ACTOR = HILOS_NS + "Actor"
PLACE = HILOS_NS + "Place"
SPHERE_PROPERTY = HILOS_NS + "sphere"


class BadValue(ValueError):
    """A cell that cannot be read; the message names the value and what was expected."""


class AmbiguousDate(BadValue):
    """A date such as 05/03/2022 that reads both day first and month first."""


# ------------------------------------------------------------------ words the ontology lacks

CONFIDENCE_WORDS: Mapping[str, Decimal] = {
    "alta": Decimal("0.8"),
    "alto": Decimal("0.8"),
    "high": Decimal("0.8"),
    "media": Decimal("0.5"),
    "medio": Decimal("0.5"),
    "medium": Decimal("0.5"),
    "baja": Decimal("0.2"),
    "bajo": Decimal("0.2"),
    "low": Decimal("0.2"),
}
"""What a confidence written as a word means (the README says the same)."""


# ------------------------------------------------------------------ terms of the ontology


def _names(terms: Iterable[OntologyTerm]) -> dict[str, str]:
    """Normalised name -> IRI, by the rules of `hilos.terms` (which `hilos claim` and `hilos
    types` use): the local name, `hilos:` and it, the labels, the altLabels and the local name
    spaced — so a sheet and `hilos claim add` read a word the same way."""
    found: dict[str, str] = {}
    for term in sorted(terms, key=lambda t: t.iri):
        for name in (term.name, "hilos:" + term.name, *term.labels.values(), *term.aliases):
            found.setdefault(normalise(name), term.iri)
        spaced = "".join(" " + c.lower() if c.isupper() else c for c in term.name)
        found.setdefault(normalise(spaced), term.iri)
    found.pop("", None)
    return found


def _concept_names(concepts: Sequence[Concept]) -> dict[str, str]:
    """Normalised name -> IRI of the concepts of a scheme, by the rules of `hilos.terms`: key,
    local name and labels, then the alternative labels."""
    return {name: concept.iri for name, concept in concept_names(concepts).items()}


@dataclass(frozen=True)
class Terms:
    """The names a sheet may give a relation, a type, a status or a sphere, read from the
    store's ontology (tie and entity types through `hilos.terms`, as `hilos claim` reads them;
    statuses and spheres with their altLabels): normalised name -> IRI."""

    ontology: OntologyTerms
    ties: dict[str, str]
    types: dict[str, str]
    statuses: dict[str, str]
    spheres: dict[str, str]
    symmetric: frozenset[str]
    to_kinds: dict[str, str]
    """Tie class -> the kind its to-end has by the range of its shortcut (presence: place)."""
    superclasses: dict[str, frozenset[str]]
    type_spheres: dict[str, str]
    """Entity class -> the sphere its class restrictions give it (none for most places)."""

    @classmethod
    def from_store(cls, store: Store) -> Terms:
        terms = store.terminology()
        known = OntologyTerms.of(store)
        vocab = vocabulary()
        ranges: dict[str, str] = {}
        for row in solutions(
            store.query(
                sparql.load("shortcut-ranges"),
                graphs=["ontology"],
            )
        ):
            kind = kind_of([row["r"].value], terms.superclasses)
            if kind != "other":
                ranges[row["c"].value] = kind
        to_kinds = {
            c: ranges[found]
            for c in known.ties
            for found in [c, *sorted(terms.superclasses.get(c, ()))]
            if found in ranges
        }
        type_spheres: dict[str, str] = {}
        for c in known.types:
            for cls_iri in [c, *sorted(terms.superclasses.get(c, ()))]:
                values = [
                    v.value for p, v in terms.class_values.get(cls_iri, ()) if p == SPHERE_PROPERTY
                ]
                if values:
                    type_spheres[c] = values[0]
                    break
        return cls(
            ontology=known,
            ties=_names(known.ties.values()),
            types=_names(known.types.values()),
            statuses=_concept_names(vocab.statuses),
            spheres=_concept_names(vocab.spheres),
            symmetric=frozenset(
                c for c in known.ties if terms.shortcuts.get(c, frozenset()) & terms.symmetric
            ),
            to_kinds=to_kinds,
            superclasses=terms.superclasses,
            type_spheres=type_spheres,
        )

    # -------------------------------------------------------------- lookups

    def _term(self, iri: str) -> OntologyTerm | None:
        return self.ontology.ties.get(iri) or self.ontology.types.get(iri)

    def label(self, iri: str, lang: str = "en") -> str:
        term = self._term(iri)
        if term is not None:
            return term.label(lang)
        concept = vocabulary().concept(iri)
        return concept.label(lang) if concept is not None else split_camel(iri).lower()

    def shown(self, iri: str) -> str:
        """`label (etiqueta)`: the English label, and the Spanish one where it differs."""
        term = self._term(iri)
        en = self.label(iri)
        es = term.labels.get("es") if term is not None else None
        return f"{en} ({es})" if es and normalise(es) != normalise(en) else en

    def tie_class(self, relation: str) -> str | None:
        return self.ties.get(normalise(relation))

    def entity_type(self, text: str) -> str | None:
        return self.types.get(normalise(text))

    def kind(self, type_iri: str | None) -> str | None:
        return None if type_iri is None else kind_of([type_iri], self.superclasses)

    def status(self, text: str) -> str:
        """The IRI of the status a cell names (`presunto`, `Alleged`, `hilos:Alleged`…)."""
        key = normalise(text)
        found = self.statuses.get(key) or self.statuses.get(key.removeprefix("hilos "))
        if found is None:
            raise BadValue(
                _(
                    "{text!r} is not a status (one of: {choices})",
                    text=text,
                    choices=self.status_choices(),
                )
            )
        return found

    def status_choices(self) -> str:
        return ", ".join(
            "/".join(dict.fromkeys([s.label("en"), s.label("es")])) for s in vocabulary().statuses
        )

    def sphere(self, text: str) -> str:
        key = normalise(text)
        found = self.spheres.get(key) or self.spheres.get(key.removeprefix("hilos "))
        if found is None:
            choices = ", ".join(f"{s.key}/{normalise(s.label('es'))}" for s in vocabulary().spheres)
            raise BadValue(
                _("{text!r} is not a sphere (one of: {choices})", text=text, choices=choices)
            )
        return found

    def type_of(self, text: str) -> str:
        found = self.entity_type(text)
        if found is None:
            near = self._closest(text, self.ontology.types.values())
            if near:
                raise BadValue(
                    _(
                        "{text!r} is not a type; closest: {near} (hilos types lists them all)",
                        text=text,
                        near=", ".join(near),
                    )
                )
            raise BadValue(
                _("{text!r} is not a type; none is close (hilos types lists them all)", text=text)
            )
        return found

    def suggest_relation(self, text: str) -> list[str]:
        """The tie types closest to a relation that is none, shown as `label (etiqueta)`."""
        return self._closest(text, self.ontology.ties.values())

    def _closest(self, text: str, terms: Iterable[OntologyTerm]) -> list[str]:
        """The terms nearest to `text` by any of their names (`hilos.terms.closest`), each
        shown once as `label (etiqueta)`."""
        shown: dict[str, str] = {}
        for term in terms:
            for name in (term.name, *term.labels.values(), *term.aliases):
                shown.setdefault(name, self.shown(term.iri))
        return list(dict.fromkeys(shown[name] for name in closest(text, shown)))


def split_camel(name: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)


# ------------------------------------------------------------------ numbers

_PLAIN_NUMBER = re.compile(r"^[+-]?(\d{1,30}(\.\d{0,30})?|\.\d{1,30})$")
_WEIGHT_DIGITS = 100


def read_confidence(text: str) -> Decimal:
    """A confidence between 0 and 1: `0.8`, `0,8`, `80%`, `80 %` or a word (`alta`/`high`,
    `media`/`medium`, `baja`/`low`).

    >>> [str(read_confidence(t)) for t in ("0.8", "80%", "80 %", "alta", "Medium", "0,25")]
    ['0.8', '0.8', '0.8', '0.8', '0.5', '0.25']
    """
    word = CONFIDENCE_WORDS.get(normalise(text))
    if word is not None:
        return word
    number = text.strip().replace(" ", "")
    percent = number.endswith("%")
    number = number.removesuffix("%")
    if "," in number and "." not in number:
        number = number.replace(",", ".")
    if not _PLAIN_NUMBER.match(number):
        raise BadValue(
            _(
                "{text!r} is not a confidence"
                " (0 to 1, a percentage such as 80%, or alta/media/baja)",
                text=text,
            )
        )
    value = Decimal(number)
    if percent:
        if not Decimal(0) <= value <= Decimal(100):
            raise BadValue(_("{text!r} is not a percentage between 0% and 100%", text=text))
        value = value / 100
    elif not Decimal(0) <= value <= Decimal(1):
        if value <= 100:
            raise BadValue(
                _(
                    "{text!r} is not a confidence between 0 and 1"
                    " (for a percentage write {percent})",
                    text=text,
                    percent=f"{text.strip()}%",
                )
            )
        raise BadValue(_("{text!r} is not a confidence between 0 and 1", text=text))
    return value.normalize() if value else Decimal(0)


def read_weight(text: str) -> Decimal:
    """A number (a count, such as intercepted calls), as `Decimal` reads it.

    >>> read_weight("52.0"), read_weight("1e3")
    (Decimal('52.0'), Decimal('1E+3'))
    """
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise BadValue(_("{text!r} is not a number", text=text)) from None
    if not value.is_finite():
        raise BadValue(_("{text!r} is not a number", text=text))
    if value and not -_WEIGHT_DIGITS <= value.adjusted() <= _WEIGHT_DIGITS:
        # written out, 1e999999999 is a billion digits
        raise BadValue(
            _(
                "{text!r} is out of range (a weight has at most {digits} digits)",
                text=text,
                digits=_WEIGHT_DIGITS,
            )
        )
    return value


def decimal_text(value: Decimal) -> str:
    """The lexical form of an `xsd:decimal`: always with a point, never an exponent."""
    text = format(value.normalize(), "f")
    return text if "." in text else text + ".0"


def read_url(text: str) -> str:
    if not re.match(r"^https?://\S+$", text):
        raise BadValue(_("{text!r} is not an http(s) address", text=text))
    try:
        NamedNode(text)
    except ValueError as exc:
        raise BadValue(
            _("{text!r} is not a valid address ({reason})", text=text, reason=str(exc))
        ) from None
    return text


# ------------------------------------------------------------------ dates

MONTHS: Mapping[str, int] = {
    **{
        name: number
        for number, names in enumerate(
            [
                ("enero", "january", "ene", "jan"),
                ("febrero", "february", "feb"),
                ("marzo", "march", "mar"),
                ("abril", "april", "abr", "apr"),
                ("mayo", "may", "may"),
                ("junio", "june", "jun"),
                ("julio", "july", "jul"),
                ("agosto", "august", "ago", "aug"),
                ("septiembre", "setiembre", "september", "sep", "sept", "set"),
                ("octubre", "october", "oct"),
                ("noviembre", "november", "nov"),
                ("diciembre", "december", "dic", "dec"),
            ],
            1,
        )
        for name in names
    }
}
"""Month names and abbreviations, Spanish and English."""

DATE_FORMS = (
    "2022-03-15, 15/03/2022, 03/15/2022, 2022-03, 03/2022, marzo de 2022, March 2022 or 2022"
)

_ISO = re.compile(r"^(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_WORDS = re.compile(r"^(?:(\d{1,2}) )?(?:de )?([a-z]+) (?:de |del )?(\d{4})$")
_WORDS_US = re.compile(r"^([a-z]+) (\d{1,2}) (\d{4})$")

DAY_FIRST = "day"
MONTH_FIRST = "month"


@dataclass(frozen=True)
class Date:
    """A date as precise as the cell gives it: `2022-03-15`, `2022-03` or `2022`."""

    text: str

    @property
    def precision(self) -> str:
        """`date`, `gYearMonth` or `gYear`: the XML Schema type of the text."""
        return {4: "gYear", 7: "gYearMonth"}.get(len(self.text), "date")

    def literal(self) -> Literal:
        """The date as an RDF literal of its XML Schema type."""
        return Literal(self.text, datatype=XSD[self.precision])


def slash_order(text: str) -> str | None:
    """Which order a numeric day-and-month date shows: `day` when its first number is over 12
    (15/03/2022), `month` when its second is (03/15/2022), None when it does not tell.

    >>> slash_order("15/03/2022"), slash_order("03/15/2022"), slash_order("05/03/2022")
    ('day', 'month', None)
    """
    match = _NUMERIC.match(text.strip())
    if match is None:
        return None
    first, second = int(match[1]), int(match[2])
    if first > 12 >= second:
        return DAY_FIRST
    if second > 12 >= first:
        return MONTH_FIRST
    return None


def read_date(text: str, order: str | None = None) -> Date:
    """A date in one of the forms sheets use; `order` (`day` or `month`) reads a numeric date
    whose first two numbers could be either. Without it such a date raises `AmbiguousDate`.

    >>> [read_date(t).text for t in ("2022-03-15", "15/03/2022", "2022-03", "03/2022")]
    ['2022-03-15', '2022-03-15', '2022-03', '2022-03']
    >>> [read_date(t).text for t in ("marzo de 2022", "March 2022", "15 de marzo de 2022")]
    ['2022-03', '2022-03', '2022-03-15']
    >>> read_date("05/03/2022", "day").text, read_date("05/03/2022", "month").text
    ('2022-03-05', '2022-05-03')
    """
    cell = text.strip()
    match = _ISO.match(cell)
    if match:
        return _checked(text, int(match[1]), match[2], match[3])
    match = _NUMERIC.match(cell)
    if match:
        return _numeric_date(text, match, order)
    match = _MONTH_YEAR.match(cell)
    if match:
        return _checked(text, int(match[2]), match[1], None)
    found = _worded_date(text, cell)
    if found is None:
        raise BadValue(_("{text!r} is not a date (such as {forms})", text=text, forms=DATE_FORMS))
    return found


def _numeric_date(text: str, match: re.Match[str], order: str | None) -> Date:
    """A date of three numbers (15/03/2022), day or month first as it shows or `order` says."""
    first, second, year = match[1], match[2], match[3]
    if len(year) == 2:
        raise BadValue(
            _("{text!r} has a two-digit year: write it with four (such as 2022)", text=text)
        )
    seen = slash_order(text.strip())
    if seen is None and first != second and int(first) <= 12 and int(second) <= 12:
        if order is None:
            raise AmbiguousDate(
                _(
                    "{text!r} reads as day {day} of month {month} or the other way round",
                    text=text,
                    day=int(first),
                    month=int(second),
                )
            )
        seen = order
    if order is not None and seen is not None and seen != order:
        if order == DAY_FIRST:
            raise BadValue(_("{text!r} is not a date read day first", text=text))
        raise BadValue(_("{text!r} is not a date read month first", text=text))
    day, month = (first, second) if (seen or order or DAY_FIRST) == DAY_FIRST else (second, first)
    return _checked(text, int(year), month, day)


def _worded_date(text: str, cell: str) -> Date | None:
    """A date with its month in words (15 de marzo de 2022, March 15, 2022); None if not."""
    words = " ".join(re.sub(r"[.,]", " ", normalise(cell)).split())
    match = _WORDS.match(words)
    if match and match[2] in MONTHS:
        return _checked(text, int(match[3]), str(MONTHS[match[2]]), match[1])
    match = _WORDS_US.match(words)
    if match and match[1] in MONTHS:
        return _checked(text, int(match[3]), str(MONTHS[match[1]]), match[2])
    return None


def _checked(text: str, year: int, month: str | None, day: str | None) -> Date:
    if month is None:
        return Date(f"{year:04d}")
    if not 1 <= int(month) <= 12:
        raise BadValue(_("{text!r} is not a date (no month {month})", text=text, month=int(month)))
    if day is None:
        return Date(f"{year:04d}-{int(month):02d}")
    try:
        value = dt.date(year, int(month), int(day))
    except ValueError as exc:
        raise BadValue(_("{text!r} is not a date ({reason})", text=text, reason=str(exc))) from None
    return Date(value.isoformat())


__all__ = [
    "CONFIDENCE_WORDS",
    "DATE_FORMS",
    "DAY_FIRST",
    "MONTH_FIRST",
    "AmbiguousDate",
    "BadValue",
    "Date",
    "Terms",
    "decimal_text",
    "read_confidence",
    "read_date",
    "read_url",
    "read_weight",
    "slash_order",
]
