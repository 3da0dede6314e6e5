"""flask --app wsgi import KIND FILE --as EMAIL [--save] [--all-or-nothing]"""

import click

from registry.blueprints.auth.services import find_user
from registry.blueprints.imports import services
from registry.blueprints.imports.registry import IMPORTERS
from registry.core.errors import DomainError
from registry.core.spreadsheet import read_table


@click.command("import")
@click.argument("kind", type=click.Choice(sorted(IMPORTERS)))
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--as", "email", required=True, help="Import with this user's rights and scope.")
@click.option("--save", is_flag=True, help="Save the rows (without it: a dry run).")
@click.option("--all-or-nothing", is_flag=True, help="Save nothing if any row is refused.")
def import_command(kind, path, email, save, all_or_nothing):
    """Import a .csv or .xlsx file; print one line per refused row, then the counts."""
    actor = find_user(email)
    if actor is None or not actor.active:
        raise click.ClickException(f"no active account {email}")
    with open(path, "rb") as handle:
        content = handle.read()
    try:
        table = read_table(path, content, 200 * 1024 * 1024)
        report = services.import_now(actor, kind, path, table, save, all_or_nothing)
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
