"""`hilos export`: the group, and the RDF formats (the network formats, the page and the
dossier add their commands to the group from modules of their own)."""

from __future__ import annotations

from typing import IO
from xml.parsers import expat

import click

from ..atomicfile import atomic_output
from ..errors import BadInput
from ..render import wrap
from .common import Session, graph_option, pass_session

RDF_EXPORTS = {
    "turtle": "Turtle (the graphs merged)",
    "ntriples": "N-Triples (the graphs merged)",
    "nquads": "N-Quads (each statement in its named graph)",
    "trig": "TriG (each statement in its named graph)",
    "jsonld": "JSON-LD (a @graph per named graph when there are several)",
    "rdfxml": "RDF/XML (the graphs merged)",
}


@click.group(name="export")
def export_group() -> None:
    """Write what hilos holds for other tools and for people: RDF in every usual format
    (`turtle`, `ntriples`, `nquads`, `trig`, `jsonld`, `rdfxml`), an interactive network page
    (`html`) and an evidence dossier (`dossier`). Files appear only once complete.

    \b
    Examples:
      hilos export turtle everything.ttl
      hilos export nquads backup.nq
      hilos export jsonld - --graph report/iguala
    """


def _rdf_export(rdf_format: str, description: str) -> None:
    @export_group.command(
        name=rdf_format,
        help=f"""Write the loaded graphs (or those given with --graph) as {description} to FILE,
        or - for standard output. N-Quads and TriG keep each statement in its named graph, so
        `hilos load` of the file restores them, and so does JSON-LD when several graphs are
        written; the other formats merge the graphs. Blank nodes get labels every RDF syntax
        accepts, so rdflib, pyoxigraph and `hilos load` read every format back.

        \b
        Examples:
          hilos export {rdf_format} out.{_SUFFIX[rdf_format]}
          hilos export {rdf_format} - --graph report/iguala
          hilos export {rdf_format} out.{_SUFFIX[rdf_format]} --inferred
        """,
    )
    @click.argument("target", metavar="FILE|-")
    @graph_option
    @click.option("--inferred", is_flag=True, help="Include the statements the reasoner derived.")
    @pass_session
    def command(ctx: Session, target: str, graphs: tuple[str, ...], inferred: bool) -> None:
        store = ctx.store()
        store.visible_graphs(list(graphs) or None)  # an unknown graph fails before any output
        with atomic_output(target) as handle:
            if rdf_format != "rdfxml":
                count = store.export(
                    rdf_format, handle, graphs=list(graphs) or None, inferred=inferred
                )
            else:
                checked = WellFormedXml(handle, target)
                count = store.export(
                    rdf_format,
                    checked,  # type: ignore[arg-type]  # a binary stream: write and flush
                    graphs=list(graphs) or None,
                    inferred=inferred,
                )
                checked.finish()
        if target != "-":
            wrote = ctx._("wrote {count} statements to {target}", count=count, target=target)
            click.echo(wrap(wrote, "", subsequent="    "), err=True)


class WellFormedXml:
    """A binary stream that passes on only well-formed XML: Oxigraph's RDF/XML writer copies
    control characters into the file and writes a property such as `http://example.org/7` as
    an element with no local name, neither of which XML allows. The file is read by expat as it
    is written, and the export fails at the first fault (leaving no file)."""

    def __init__(self, handle: IO[bytes], target: str) -> None:
        self._handle = handle
        self._target = target
        self._parser = expat.ParserCreate(namespace_separator=" ")

    def write(self, data: bytes) -> int:
        self._check(bytes(data), final=False)
        return self._handle.write(data)

    def flush(self) -> None:
        self._handle.flush()

    def finish(self) -> None:
        self._check(b"", final=True)

    def _check(self, data: bytes, *, final: bool) -> None:
        try:
            self._parser.Parse(data, final)
        except expat.ExpatError:
            raise BadInput(
                f"{self._target}: this data cannot be written as RDF/XML (a literal holds a "
                "character XML forbids, or a property IRI is no XML name); "
                "export it as turtle, ntriples, nquads, trig or jsonld"
            ) from None


_SUFFIX = {
    "turtle": "ttl",
    "ntriples": "nt",
    "nquads": "nq",
    "trig": "trig",
    "jsonld": "jsonld",
    "rdfxml": "rdf",
}
for _format, _description in RDF_EXPORTS.items():
    _rdf_export(_format, _description)
