"""`flask allocation simulate`: the analysts' what-if allocation of the pool over a CSV of kommuner."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import click
from flask.cli import AppGroup

from portal.allocation.engine import AllocationError, Claim, allocate
from portal.formatting import format_kr
from portal.kommuner.reference import KommuneFact, load_kommune_facts
from portal.pulje.facts import POOL

allocation_cli = AppGroup("allocation", help="Fordeling af puljen mellem kommunerne.")

REQUIRED_COLUMNS = ("kommune", "volume")
OPTIONAL_COLUMNS = ("requested",)
COLUMNS_HINT = "kolonnerne skal hedde kommune, volume og evt. requested"
# Whole numbers, optionally with Danish thousands separators: 800000 or 800.000.
WHOLE_NUMBER = re.compile(r"-?(\d+|\d{1,3}(\.\d{3})+)")


class InputProblem(Exception):
    """The input file or an option cannot be used; the message is Danish and names the line."""


@dataclass(frozen=True)
class InputRow:
    line: int
    kommune: str  # as the analyst wrote it
    fact: KommuneFact
    volume: int
    requested_kr: int | None


@allocation_cli.command("simulate", with_appcontext=False)
@click.option("--pool", "pool_text", default=str(POOL["total_kr"]), show_default=True,
              help="Puljens beløb i hele kroner.")
@click.option("--cap", "cap_text", default=str(POOL["max_grant_kr"]), show_default=True,
              help="Det højeste tilskud til én kommune i hele kroner.")
@click.argument("file", type=click.Path(path_type=Path))
@click.pass_context
def simulate_command(ctx: click.Context, pool_text: str, cap_text: str, file: Path) -> None:
    """Fordel puljen efter FILE (CSV med kolonnerne kommune, volume og evt. requested).

    Skriver kommune,volume,requested,amount som CSV i filens rækkefølge.
    """
    rows: list[InputRow] = []
    try:
        pool_kr = _option_kr("--pool", pool_text)
        max_grant_kr = _option_kr("--cap", cap_text)
        rows = parse_claims(_read_text(file), load_kommune_facts())
        result = allocate(
            pool_kr=pool_kr,
            max_grant_kr=max_grant_kr,
            claims=[Claim(row.fact.code, row.volume, row.requested_kr) for row in rows],
        )
    except InputProblem as problem:
        click.echo(str(problem), err=True)
        ctx.exit(2)
    except AllocationError as error:
        line = next((row.line for row in rows if row.fact.code == error.code), None) if error.code else None
        click.echo(f"Linje {line}: {error.message}" if line else error.message, err=True)
        ctx.exit(2)

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kommune", "volume", "requested", "amount"])
    for row, grant in zip(rows, result.grants):
        requested = "" if row.requested_kr is None else row.requested_kr
        writer.writerow([row.kommune, row.volume, requested, grant.amount_kr])
    click.echo(out.getvalue(), nl=False)
    if result.unallocated_kr:
        click.echo(f"Bemærk: {format_kr(result.unallocated_kr)} af puljen bliver ikke fordelt, "
                   "fordi alle kommuner har nået deres loft.", err=True)


def parse_claims(text: str, facts: list[KommuneFact]) -> list[InputRow]:
    """The rows of the analysts' CSV, each resolved to a kommune; raises InputProblem at the first fault.

    Comma or semicolon separated (guessed from the header line); blank lines are skipped.
    """
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise InputProblem(f"Filen er tom: første linje skal være overskrifterne ({COLUMNS_HINT}).")
    delimiter = ";" if ";" in lines[0] and "," not in lines[0] else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().casefold() for name in next(reader)]
        _check_header(header)
        by_name = _kommune_lookup(facts)
        rows: list[InputRow] = []
        first_line_of: dict[int, int] = {}
        for fields in reader:
            line = reader.line_num
            if not any(field.strip() for field in fields):
                continue
            if len(fields) != len(header):
                raise InputProblem(f"Linje {line}: der skal være {len(header)} felter, men der er {len(fields)}.")
            values = dict(zip(header, (field.strip() for field in fields)))
            row = _row(line, values, by_name)
            if row.fact.code in first_line_of:
                first = first_line_of[row.fact.code]
                raise InputProblem(f"Linje {line}: {row.fact.name} står allerede i linje {first}.")
            first_line_of[row.fact.code] = line
            rows.append(row)
    except csv.Error:
        raise InputProblem(f"Linje {reader.line_num}: linjen kan ikke læses som CSV.") from None
    if not rows:
        raise InputProblem("Filen har ingen kommuner under overskrifterne.")
    return rows


def _read_text(file: Path) -> str:
    try:
        return file.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputProblem(f"Filen {file} findes ikke.") from None
    except IsADirectoryError:
        raise InputProblem(f"{file} er en mappe, ikke en fil.") from None
    except PermissionError:
        raise InputProblem(f"Filen {file} må ikke læses (adgang nægtet).") from None
    except OSError:
        raise InputProblem(f"Filen {file} kan ikke læses.") from None
    except UnicodeDecodeError as error:
        raise InputProblem(f"Filen {file} er ikke UTF-8 (ugyldigt tegn ved byte {error.start}).") from None


def _check_header(header: list[str]) -> None:
    for name in header:
        if not name:
            raise InputProblem(f"Linje 1: en kolonne har ingen overskrift ({COLUMNS_HINT}).")
        if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
            raise InputProblem(f"Linje 1: ukendt kolonne '{name}' ({COLUMNS_HINT}).")
        if header.count(name) > 1:
            raise InputProblem(f"Linje 1: kolonnen '{name}' optræder mere end én gang.")
    for name in REQUIRED_COLUMNS:
        if name not in header:
            raise InputProblem(f"Linje 1: kolonnen '{name}' mangler ({COLUMNS_HINT}).")


def _kommune_lookup(facts: list[KommuneFact]) -> dict[str, KommuneFact]:
    lookup = {}
    for fact in facts:
        lookup[fact.name.casefold()] = fact
        lookup[fact.official_name.casefold()] = fact
        lookup[str(fact.code)] = fact
    return lookup


def _row(line: int, values: dict[str, str], by_name: dict[str, KommuneFact]) -> InputRow:
    kommune = values["kommune"]
    if not kommune:
        raise InputProblem(f"Linje {line}: kommune mangler.")
    fact = by_name.get(kommune.casefold()) or (by_name.get(str(int(kommune))) if kommune.isdigit() else None)
    if fact is None:
        if kommune.isdigit():
            raise InputProblem(f"Linje {line}: der er ingen kommune med kommunekode {kommune}.")
        raise InputProblem(f"Linje {line}: kommunen '{kommune}' findes ikke.")
    volume = _whole(line, "volume", values["volume"])
    requested_text = values.get("requested", "")
    requested_kr = _whole(line, "requested", requested_text) if requested_text else None
    return InputRow(line=line, kommune=kommune, fact=fact, volume=volume, requested_kr=requested_kr)


def _whole(line: int, column: str, text: str) -> int:
    if not text:
        raise InputProblem(f"Linje {line}: {column} mangler.")
    if not WHOLE_NUMBER.fullmatch(text):
        kind = "et helt antal kroner" if column == "requested" else "et helt tal"
        raise InputProblem(f"Linje {line}: {column} skal være {kind}, ikke '{text}'.")
    value = int(text.replace(".", ""))
    if value < 0:
        raise InputProblem(f"Linje {line}: {column} kan ikke være negativ ({text}).")
    return value


def _option_kr(option: str, text: str) -> int:
    if not WHOLE_NUMBER.fullmatch(text.strip()):
        raise InputProblem(f"{option} skal være et helt antal kroner, ikke '{text}'.")
    return int(text.strip().replace(".", ""))
