"""Command-line interface: parse options, call the library, print."""

import click


@click.group()
@click.version_option(package_name="newsingest")
def cli():
    """Turn folders of raw news articles into a clean, searchable SQLite corpus."""
