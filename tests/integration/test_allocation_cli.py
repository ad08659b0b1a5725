"""Integration tests for `flask allocation simulate`: the analysts' CSV in, grants as CSV out."""
from __future__ import annotations

import csv
import io

import pytest

from portal import create_app

HEADER = "kommune,volume,requested,amount\n"

FOURTEEN = """kommune,volume
København,3900
Aarhus,2100
Odense,880
Aalborg,850
Esbjerg,820
Vejle,790
Kolding,760
Horsens,720
Herning,700
Randers,760
Næstved,690
Holbæk,560
Svendborg,480
Thisted,370
"""


@pytest.fixture(scope="module")
def runner():
    """The command needs no database, so one plain app serves every test here."""
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://"})
    return app.test_cli_runner()


def _simulate(runner, tmp_path, content: str | bytes, *options: str):
    path = tmp_path / "kommuner.csv"
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return runner.invoke(args=["allocation", "simulate", *options, str(path)])


def test_simulate_small_file_prints_grants_in_input_order(runner, tmp_path):
    # Arrange: Herning asks for 300.000 kr. only; the rest is shared 30:25.
    content = "kommune,volume,requested\nHerning,45,300000\n630,30,\nThisted,25,\n"

    # Act
    result = _simulate(runner, tmp_path, content, "--pool", "1000000", "--cap", "800000")

    # Assert
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == HEADER + "Herning,45,300000,300000\n630,30,,381818\nThisted,25,,318182\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        # a BOM, as Excel writes it
        ("\ufeffkommune,volume,requested\nHerning,45,300000\n630,30,\nThisted,25,\n", ["300000", "381818", "318182"]),
        # Danish Excel: semicolons, CRLF and thousands separators
        ("kommune;volume;requested\r\nHerning;45;300.000\r\n630;30;\r\nThisted;25;\r\n",
         ["300000", "381818", "318182"]),
        # headers in any case and with spaces; blank lines skipped
        ("Kommune , Volume\nHerning,45\n\n630,30\nThisted,25\n", ["450000", "300000", "250000"]),
    ],
)
def test_simulate_accepts_bom_semicolons_and_thousands_separators(runner, tmp_path, content, expected):
    # Act
    result = _simulate(runner, tmp_path, content, "--pool", "1000000")

    # Assert
    amounts = [row["amount"] for row in csv.DictReader(io.StringIO(result.stdout))]
    assert (result.exit_code, result.stderr) == (0, "")
    assert amounts == expected


def test_simulate_real_pool_over_fourteen_kommuner_adds_up_to_nine_million(runner, tmp_path):
    # Act: the defaults are the pool's real 9.000.000 kr. and 800.000 kr.
    result = _simulate(runner, tmp_path, FOURTEEN)

    # Assert
    amounts = {row["kommune"]: int(row["amount"]) for row in csv.DictReader(io.StringIO(result.stdout))}
    assert (result.exit_code, result.stderr) == (0, "")
    assert sum(amounts.values()) == 9_000_000
    assert amounts == {
        "København": 800_000, "Aarhus": 800_000, "Odense": 777_088, "Aalborg": 750_597, "Esbjerg": 724_105,
        "Vejle": 697_613, "Kolding": 671_122, "Horsens": 635_800, "Herning": 618_138, "Randers": 671_122,
        "Næstved": 609_308, "Holbæk": 494_511, "Svendborg": 423_866, "Thisted": 326_730,
    }


def test_simulate_everyone_capped_notes_the_unallocated_money(runner, tmp_path):
    # Act
    result = _simulate(runner, tmp_path, "kommune,volume\nKøbenhavn,3900\nAarhus,2100\n")

    # Assert
    assert result.exit_code == 0
    assert result.stdout == HEADER + "København,3900,,800000\nAarhus,2100,,800000\n"
    assert result.stderr == (
        "Bemærk: 7.400.000 kr. af puljen bliver ikke fordelt, fordi alle kommuner har nået deres loft.\n"
    )


HINT = "kolonnerne skal hedde kommune, volume og evt. requested"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("kommune,requested\nHerning,800000\n", f"Linje 1: kolonnen 'volume' mangler ({HINT})."),
        ("navn,volume\nHerning,700\n", f"Linje 1: ukendt kolonne 'navn' ({HINT})."),
        ("kommune,volume,\nHerning,700,\n", f"Linje 1: en kolonne har ingen overskrift ({HINT})."),
        ("kommune,volume,volume\nHerning,700,700\n", "Linje 1: kolonnen 'volume' optræder mere end én gang."),
        ("kommune,volume\nHerning,700\nVejle,12,5\n", "Linje 3: der skal være 2 felter, men der er 3."),
        ("kommune,volume\nHerning,700\nVejle,mange\n", "Linje 3: volume skal være et helt tal, ikke 'mange'."),
        ("kommune,volume\nHerning,7.5\n", "Linje 2: volume skal være et helt tal, ikke '7.5'."),
        ("kommune,volume\nHerning,\n", "Linje 2: volume mangler."),
        ("kommune,volume\nHerning,-700\n", "Linje 2: volume kan ikke være negativ (-700)."),
        ("kommune,volume,requested\nHerning,700,800000 kr\n",
         "Linje 2: requested skal være et helt antal kroner, ikke '800000 kr'."),
        ("kommune,volume,requested\nHerning,700,-1\n", "Linje 2: requested kan ikke være negativ (-1)."),
        ("kommune,volume\nHerning,700\nXby,3\n", "Linje 3: kommunen 'Xby' findes ikke."),
        ("kommune,volume\nHerning,700\n999,3\n", "Linje 3: der er ingen kommune med kommunekode 999."),
        ("kommune,volume\n,700\n", "Linje 2: kommune mangler."),
        ("kommune,volume\nKøbenhavn,700\nHerning,5\n101,3\n", "Linje 4: København står allerede i linje 2."),
        ("kommune,volume\nKøbenhavn,0\nHerning,0\n",
         "Ingen af kommunerne har sager i kategori 2 og 3, så der er intet at fordele puljen efter."),
        ("kommune,volume\n", "Filen har ingen kommuner under overskrifterne."),
        ("", f"Filen er tom: første linje skal være overskrifterne ({HINT})."),
        (b"kommune,volume\nK\xf8ge,300\n", "Filen {path} er ikke UTF-8 (ugyldigt tegn ved byte 16)."),
    ],
)
def test_simulate_bad_file_exits_2_with_danish_message(runner, tmp_path, content, message):
    # Act
    result = _simulate(runner, tmp_path, content)

    # Assert
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == message.format(path=tmp_path / "kommuner.csv") + "\n"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--pool", "ni millioner"], "--pool skal være et helt antal kroner, ikke 'ni millioner'."),
        (["--cap", "800000.50"], "--cap skal være et helt antal kroner, ikke '800000.50'."),
        (["--pool", "0"], "Puljens beløb skal være større end 0 kr. (er 0 kr.)."),
        (["--cap", "-1"], "Det højeste tilskud skal være større end 0 kr. (er -1 kr.)."),
    ],
)
def test_simulate_bad_option_exits_2_with_danish_message(runner, tmp_path, options, message):
    # Act
    result = _simulate(runner, tmp_path, "kommune,volume\nHerning,700\n", *options)

    # Assert
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message + "\n")


def test_simulate_missing_file_exits_2(runner, tmp_path):
    # Arrange
    path = tmp_path / "findes-ikke.csv"

    # Act
    result = runner.invoke(args=["allocation", "simulate", str(path)])

    # Assert
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"Filen {path} findes ikke.\n")


def test_simulate_directory_exits_2(runner, tmp_path):
    # Act
    result = runner.invoke(args=["allocation", "simulate", str(tmp_path)])

    # Assert
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"{tmp_path} er en mappe, ikke en fil.\n")
