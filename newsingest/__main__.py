"""python -m newsingest: the same as the newsingest command."""

from .cli import cli

cli(prog_name="newsingest")
