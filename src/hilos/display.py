"""How cards, paths and chains show themselves in a notebook: small self-contained HTML, every
string escaped, every hop with its claim's status, quote and sources (Jupyter calls an object's
`_repr_html_`; `hilos.entities.Card` and `hilos.network.paths.EvidencePath` define theirs with these
functions).

This module sits below the entities and the network that use it, so it names what it reads of
a card or a path as protocols (`CardShape`, `PathShape`) rather than importing their classes.

The language is `HILOS_LANG`'s (English by default); relation and status names are the
ontology's labels in that language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Protocol

from .i18n import Translator, choose
from .namespaces import expand
from .vocab import term_label, vocabulary


class Cited(Protocol):
    @property
    def citation(self) -> str: ...


class QuotedSource(Cited, Protocol):
    @property
    def quote(self) -> str | None: ...


class TieShape(Protocol):
    """What a card's tie shows (`hilos.entities.TieView`)."""

    @property
    def direction(self) -> str: ...
    @property
    def relation(self) -> str: ...
    @property
    def status(self) -> str | None: ...
    @property
    def other_label(self) -> str: ...
    @property
    def quote(self) -> str | None: ...
    @property
    def sources(self) -> Sequence[Cited]: ...


class SummaryShape(Protocol):
    @property
    def label(self) -> str: ...
    @property
    def types(self) -> Sequence[str]: ...
    @property
    def sphere(self) -> str | None: ...


class CardShape(Protocol):
    """What a card shows (`hilos.entities.Card`)."""

    @property
    def summary(self) -> SummaryShape: ...
    @property
    def ties(self) -> Sequence[TieShape]: ...


class ClaimShape(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def quote(self) -> str | None: ...


class HopShape(Protocol):
    """What a path's hop shows (`hilos.network.evidence.Hop`)."""

    @property
    def tie(self) -> str: ...
    @property
    def relation(self) -> str: ...
    @property
    def status(self) -> str | None: ...
    @property
    def claims(self) -> Sequence[ClaimShape]: ...
    @property
    def sources(self) -> Sequence[QuotedSource]: ...


class Labelled(Protocol):
    @property
    def label(self) -> str: ...


class PathShape(Protocol):
    """What a path or chain shows (`hilos.network.paths.EvidencePath`)."""

    @property
    def score(self) -> float: ...
    @property
    def nodes(self) -> Sequence[Labelled]: ...
    @property
    def hops(self) -> Sequence[HopShape]: ...
    @property
    def crossing(self) -> int | None: ...


_STYLE = (
    "font-family:system-ui,sans-serif;font-size:14px;line-height:1.4;max-width:60em;"
    "border:1px solid #ddd;border-radius:6px;padding:.6em .9em"
)
_QUOTE = "margin:.2em 0 .2em 1em;padding-left:.6em;border-left:3px solid #ccc;color:#333"
_MUTED = "color:#666;font-size:90%"


def _e(text: object) -> str:
    return escape("" if text is None else str(text), quote=True)


def _sources(citations: Iterable[str], _: Translator) -> str:
    listed = "; ".join(_e(c) for c in citations if c)
    return f'<div style="{_MUTED}">{_("Sources")}: {listed}</div>' if listed else ""


def _label(term: str, lang: str) -> str:
    """A term given as an IRI or a prefixed name (`hilos:Collusion`), by its label."""
    return term_label(expand(term) or term, lang)


def _claim(relation: str, status: str | None, lang: str) -> str:
    if status and ":" not in status:  # a status key (`reported`), as cards give it
        status = vocabulary().status(status).iri
    status_text = _label(status, lang) if status else ""
    return f"<b>{_e(_label(relation, lang))}</b>" + (
        f' <span style="{_MUTED}">({_e(status_text)})</span>' if status_text else ""
    )


def card_html(card: CardShape) -> str:
    """A card: the entity's name, kind and sphere, then every tie with its evidence.

    >>> from hilos.entities import Card, Summary
    >>> summary = Summary("x", "<b>A & B</b>", (), (), (), (), ())
    >>> "&lt;b&gt;A &amp; B&lt;/b&gt;" in card_html(Card(summary, ()))
    True
    """
    lang = choose(None)
    _ = Translator(lang)
    s = card.summary
    kinds = ", ".join(_label(t, lang) for t in s.types)
    sphere = _label(s.sphere, lang) if s.sphere else _("no sphere")
    out = [f'<div style="{_STYLE}"><div style="font-size:120%"><b>{_e(s.label)}</b></div>']
    out.append(f'<div style="{_MUTED}">{_e(kinds)} · {_e(sphere)}</div>')
    out.append(f"<div>{_e(_('{count} ties', count=len(card.ties)))}</div><ol>")
    for tie in card.ties:
        arrow = "→" if tie.direction == "out" else "←"
        out.append(
            f"<li>{_claim(tie.relation, tie.status, lang)} {arrow} {_e(tie.other_label)}"
            + (f'<blockquote style="{_QUOTE}">{_e(tie.quote)}</blockquote>' if tie.quote else "")
            + _sources((src.citation for src in tie.sources), _)
            + "</li>"
        )
    out.append("</ol></div>")
    return "".join(out)


def path_html(path: PathShape) -> str:
    """A path or chain, hop by hop from left to right, each hop with its strongest claim."""
    lang = choose(None)
    _ = Translator(lang)
    names = [node.label for node in path.nodes]
    out = [f'<div style="{_STYLE}"><div><b>{" → ".join(_e(n) for n in names)}</b></div>']
    out.append(f'<div style="{_MUTED}">{_e(_("Evidence score"))} {path.score:.3f}</div><ol>')
    for index, hop in enumerate(path.hops):
        quotes = [c.quote for c in hop.claims if c.id == hop.tie and c.quote]
        quote = quotes[0] if quotes else next((s.quote for s in hop.sources if s.quote), None)
        crossing = (
            f' <span style="{_MUTED}">({_e(_("the crossing"))})</span>'
            if (index == path.crossing)
            else ""
        )
        out.append(
            f"<li>{_e(names[index])} — {_claim(hop.relation, hop.status, lang)}{crossing} → "
            f"{_e(names[index + 1])}"
            + (f'<blockquote style="{_QUOTE}">{_e(quote)}</blockquote>' if quote else "")
            + _sources((src.citation for src in hop.sources), _)
            + "</li>"
        )
    out.append("</ol></div>")
    return "".join(out)
