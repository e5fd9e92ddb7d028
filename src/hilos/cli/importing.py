"""`hilos import`: the group that the importers' commands join."""

from __future__ import annotations

import click


@click.group(name="import")
def import_group() -> None:
    """Bring your own data in: spreadsheets of ties (`csv`, also .xlsx), adjacency matrices
    (`matrix`) and FollowTheMoney entities (`ftm`). Each import goes into its own named graph
    (`--graph NAME`, default from the file name) that `hilos drop NAME` removes, every imported
    tie records the file, row and time it came from, and an import is all or nothing.

    \b
    Examples:
      hilos import csv alliances.csv --map from=Group --map to=RGroup --relation alliance
      hilos import ftm entities.ftm.json
    """
