"""The `scaffold` command line: a thin click layer. Heavy modules are imported inside each command."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

AUTH_TYPES = ("bearer", "api_key_header", "api_key_query", "basic", "oauth2_client_credentials")
PAGINATION_STYLES = ("cursor", "next_token", "page_number", "offset_limit", "link_header", "none")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("connector-scaffold")
    except PackageNotFoundError:
        return "0+unknown"


def _fail(error: Exception) -> None:
    """One line on stderr and the error's exit code."""
    click.echo(f"error: {error}", err=True)
    sys.exit(getattr(error, "exit_code", 2))


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110},
    epilog="Example: scaffold new-connector stripe",
)
@click.version_option(version=_version(), prog_name="scaffold", message="%(prog)s %(version)s")
def main() -> None:
    """Generate and upgrade data connectors deterministically."""


@main.command(
    "new-connector",
    epilog="""\b
Examples:
  scaffold new-connector stripe
  scaffold new-connector github --dest ./connectors/github --dry-run
  scaffold new-connector acme --data-file answers.yml
  scaffold new-connector acme --entity widget:/v2/widgets --auth api_key_header --base-url https://api.acme.io""",
)
@click.argument("name")
@click.option("--target", type=click.Choice(["atlan"]), default="atlan", show_default=True, help="What to generate.")
@click.option("--dest", type=click.Path(path_type=Path), help="Output folder [default: ./atlan-NAME-app].")
@click.option("--data-file", type=click.Path(path_type=Path), help="Answers file (YAML) with spec fields.")
@click.option("--defaults", is_flag=True, help="Never prompt; use catalog values and defaults.")
@click.option("--dry-run", is_flag=True, help="List every file that would be written; write nothing.")
@click.option("--force", is_flag=True, help="Allow a non-empty destination; only files the template owns are replaced.")
@click.option("--strict", is_flag=True, help="Fail when NAME is not in the built-in catalog.")
@click.option("--entity", "entities", multiple=True, metavar="NAME[:PATH]", help="An entity to extract (repeatable).")
@click.option("--auth", type=click.Choice(AUTH_TYPES), help="How requests authenticate.")
@click.option("--base-url", help="https:// base URL of the source API.")
@click.option("--pagination", type=click.Choice(PAGINATION_STYLES), help="How list endpoints page.")
@click.option("--page-size", type=click.IntRange(1, 10_000), help="Records per page.")
@click.option("--display-name", help="Human name of the source.")
@click.option("--rps", "requests_per_second", type=click.FloatRange(min=0, min_open=True), help="Requests per second.")
@click.option("--max-concurrency", type=click.IntRange(1, 256), help="Concurrent requests at most.")
def new_connector(name: str, **kw: Any) -> None:
    """Create a complete, tested Atlan SDK v3 app for the source NAME."""
    from connector_scaffold.errors import ScaffoldError
    from connector_scaffold.new_connector import NewConnectorRequest, run
    from connector_scaffold.spec_sources import SpecOptions

    option_keys = ("auth", "base_url", "pagination", "page_size", "display_name", "requests_per_second")
    options: dict[str, Any] = {key: kw[key] for key in option_keys}
    options["max_concurrency"] = kw["max_concurrency"]
    options["entities"] = tuple(kw["entities"])
    interactive = not kw["defaults"] and kw["data_file"] is None and sys.stdin.isatty() and not kw["dry_run"]
    try:
        if interactive:
            options = _prompt(name, options)
        request = NewConnectorRequest(
            name=name,
            dest=kw["dest"],
            answers_file=kw["data_file"],
            options=SpecOptions(**options),
            strict=kw["strict"],
            force=kw["force"],
            dry_run=kw["dry_run"],
        )
        code = run(request, click.echo, lambda line: click.echo(line, err=True))
    except ScaffoldError as error:
        _fail(error)
    sys.exit(code)


def _prompt(name: str, options: dict[str, Any]) -> dict[str, Any]:
    """Ask for the main spec values on a terminal, offering the catalog's (or the skeleton's) as defaults."""
    from connector_scaffold.catalog import catalog_entry, generic_entry
    from connector_scaffold.spec import check_identifier

    try:
        base = catalog_entry(check_identifier(name, "source name")) or generic_entry(name.lower())
    except ValueError:
        return options  # the request fails validation with its own one-line message
    answered = dict(options)
    answered["display_name"] = options["display_name"] or click.prompt(
        "Display name", default=base.get("display_name") or name.title()
    )
    answered["base_url"] = options["base_url"] or click.prompt("Base URL (https://)", default=base["base_url"])
    answered["auth"] = options["auth"] or click.prompt(
        "Auth", type=click.Choice(AUTH_TYPES), default=base["auth"]["type"]
    )
    if not options["entities"]:
        default = ",".join(e["name"] for e in base["entities"])
        given = click.prompt("Entities (comma separated)", default=default)
        if given != default:
            answered["entities"] = tuple(part.strip() for part in given.split(",") if part.strip())
    return answered


if __name__ == "__main__":
    main()
