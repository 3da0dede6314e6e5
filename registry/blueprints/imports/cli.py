"""flask --app wsgi import KIND FILE --as EMAIL [--save] [--all-or-nothing]
flask --app wsgi export KIND FILE --as EMAIL [--filter NAME=VALUE ...]"""

import click

from registry.blueprints.auth.services import find_user
from registry.blueprints.imports import services
from registry.blueprints.imports.registry import IMPORTERS
from registry.core.errors import DomainError
from registry.core.importer import export_response
from registry.core.spreadsheet import read_table


def _account(email):
    actor = find_user(email)
    if actor is None or not actor.active:
        raise click.ClickException(f"no active account {email}")
    return actor


@click.command("import")
@click.argument("kind", type=click.Choice(sorted(IMPORTERS)))
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--as", "email", required=True, help="Import with this user's rights and scope.")
@click.option("--save", is_flag=True, help="Save the rows (without it: a dry run).")
@click.option("--all-or-nothing", is_flag=True, help="Save nothing if any row is refused.")
def import_command(kind, path, email, save, all_or_nothing):
    """Import a .csv or .xlsx file; print one line per refused row, then the counts."""
    actor = _account(email)
    with open(path, "rb") as handle:
        content = handle.read()
    try:
        table = read_table(path, content, 200 * 1024 * 1024)
        report = services.import_now(
            actor,
            kind,
            path,
            table,
            save,
            all_or_nothing,
            lambda done, total: click.echo(f"checked {done:,} of {total:,} rows", err=True),
        )
    except DomainError as exc:
        raise click.ClickException(" ".join(sum(exc.errors.values(), [])) or exc.message) from exc
    for row in report.refused:
        for field, message in row.errors:
            click.echo(f"line {row.line} {row.key} {field}: {message}")
    state = "saved" if report.saved else "not saved"
    click.echo(
        f"{len(report.rows)} rows, {state}: created {report.count('created')}, updated {report.count('updated')}, "
        f"unchanged {report.count('unchanged')}, refused {len(report.refused)}"
    )


@click.command("export")
@click.argument("kind", type=click.Choice(sorted(IMPORTERS)))
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@click.option("--as", "email", required=True, help="Export with this user's rights and scope.")
@click.option(
    "--filter",
    "filters",
    multiple=True,
    metavar="NAME=VALUE",
    help="A list filter, e.g. country=KHM or year=2025 (repeatable).",
)
def export_command(kind, path, email, filters):
    """Write the records to FILE (.csv or .xlsx) in the import columns; the export is audited."""
    actor = _account(email)
    if not path.lower().endswith((".csv", ".xlsx")):
        raise click.ClickException("FILE must end in .csv or .xlsx")
    try:
        wanted = dict(item.split("=", 1) for item in filters)
    except ValueError as exc:
        raise click.ClickException("write each filter as NAME=VALUE") from exc
    if actor.role not in IMPORTERS[kind].readers:
        raise click.ClickException(f"the role {actor.role} cannot read these records")
    response = export_response(actor, IMPORTERS[kind], path.rsplit(".", 1)[1].lower(), wanted)
    with open(path, "wb") as handle:
        handle.write(response.get_data())
    click.echo(f"wrote {path}")
