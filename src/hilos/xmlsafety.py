"""Refusing RDF/XML that would make the parser run out of memory or time.

Oxigraph's RDF/XML parser expands entities without a limit (a 1 kB "billion laughs" file grows
to gigabytes in memory) and slows down far faster than the nesting of elements grows (20,000
nested elements, 1 MB, take over 15 s; a few MB, hours). Before such a file reaches it, one
pass of expat — which refuses runaway entity expansion itself — checks that no entity expands
another and that elements are nested at most `MAX_DEPTH` deep. Real RDF/XML (Protégé's
`<!ENTITY xsd "http://www.w3.org/2001/XMLSchema#">` declarations included) passes untouched.
"""

from __future__ import annotations

import os
import re
from xml.parsers import expat

from .errors import BadInput, ParseError
from .errors import message as _

MAX_DEPTH = 1_000
"""The deepest nesting of elements accepted; real RDF/XML stays within a few dozen."""

_REFERENCE = re.compile(r"[&%](?!#)")


class _Refused(Exception):
    pass


def check_rdfxml(path: str | os.PathLike[str], shown: str | None = None) -> None:
    """Raise `ParseError` if the RDF/XML file at `path` is not well-formed XML, declares an
    entity that expands other entities, or nests elements deeper than `MAX_DEPTH`.

    >>> import tempfile, os
    >>> bomb = b'<!DOCTYPE r [<!ENTITY a "x"><!ENTITY b "&a;&a;">]><r>&b;</r>'
    >>> with tempfile.NamedTemporaryFile(suffix=".rdf", delete=False) as f:
    ...     _ = f.write(bomb)
    >>> try:
    ...     check_rdfxml(f.name, "bomb.rdf")
    ... except ParseError as exc:
    ...     print(exc.line, exc.reason)
    1 the entity 'b' expands other entities, which hilos refuses (an XML entity bomb)
    >>> os.unlink(f.name)
    """
    shown = shown or str(path)
    parser = expat.ParserCreate()
    depth = 0

    def start(name: str, attributes: object) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_DEPTH:
            raise _Refused(_("elements are nested more than {depth} deep", depth=MAX_DEPTH))

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1

    def entity(
        name: str,
        is_parameter: bool,
        value: str | None,
        base: str | None,
        system_id: str | None,
        public_id: str | None,
        notation: str | None,
    ) -> None:
        if is_parameter or (value is not None and _REFERENCE.search(value)):
            raise _Refused(
                _(
                    "the entity '{name}' expands other entities, which hilos refuses "
                    "(an XML entity bomb)",
                    name=name,
                )
            )

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.EntityDeclHandler = entity
    try:
        with open(path, "rb") as handle:
            parser.ParseFile(handle)
    except _Refused as exc:
        line, column = parser.CurrentLineNumber, parser.CurrentColumnNumber + 1
        raise ParseError(shown, exc.args[0], line, column) from None
    except expat.ExpatError as exc:
        reason = expat.errors.messages.get(exc.code, str(exc)) if exc.code else str(exc)
        said = _("not well-formed XML: {reason}", reason=reason)
        raise ParseError(shown, said, exc.lineno, exc.offset + 1) from None
    except (LookupError, ValueError) as exc:  # an encoding Python does not know, say
        said = _("not readable XML: {reason}", reason=str(exc))
        raise ParseError(shown, said, parser.CurrentLineNumber) from None
    except OSError as exc:
        raise BadInput(
            _("{path}: cannot be read: {reason}", path=shown, reason=exc.strerror or str(exc))
        ) from None
