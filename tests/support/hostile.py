"""Hostile form input for the property-based tests: the values, how a browser (or worse) sends them, and what
a page may show back.

Values are sent as a hand-made urlencoded body, so they can hold what a browser never sends but a client can:
lone surrogates (as the bytes CESU-8 gives them), invalid UTF-8, NUL and every other control character.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from html import unescape
from urllib.parse import quote_plus, urlsplit

import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from portal.extensions import db
from portal.fields import EARLIEST_YEAR, LARGEST_NUMBER, LATEST_YEAR


# Markers that must never come back unescaped: a tag, an event handler breaking out of an attribute.
SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)>"
ATTRIBUTE = '" onmouseover="alert(1)'
UNESCAPED = (SCRIPT, IMAGE, 'onmouseover="alert(1)')
SQL = "'; DROP TABLE user_account; --"
LONG = "x" * 100_000

# Text a user might paste that the portal must take, clean and show back safely.
NASTY_TEXT = (f"{SCRIPT} {IMAGE} {ATTRIBUTE} {SQL} NUL:\x00 bell:\x07 esc:\x1b del:\x7f c1:\x85\x9f "
              "e\u0301 æøå ÆØÅ \U0001F600 \ufeffslut")

# What must never be stored: C0 and C1 controls other than tab and line breaks, surrogates, non-characters.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# WTForms' and Flask-WTF's own (English) messages, by the words they use; a Danish page has none of them.
ENGLISH = re.compile(r"\b(?:field|valid|invalid|required|choice|could not|coerce|must be|token|missing|"
                     r"characters long|at least|at most|this)\b", re.IGNORECASE)


class Kind(Enum):
    TEXT = "text"          # free text, a line or a text area
    EMAIL = "email"
    PASSWORD = "password"
    NUMBER = "number"      # WholeNumberField
    TENTHS = "tenths"      # a number with one decimal (percent, points)
    DATE = "date"
    MOMENT = "moment"      # a local date and time
    CHOICE = "choice"      # a select, a radio group
    CHECK = "check"        # a checkbox
    RAW = "raw"            # a value the view reads itself, or a hidden field: only 'no harm' is asked


@dataclass(frozen=True)
class Field:
    """What a form field takes, so the test knows which input must be refused."""

    kind: Kind
    required: bool = False
    limit: int | None = None          # text: the most characters
    minimum: int | None = None        # numbers
    maximum: int | None = None
    choices: tuple[str, ...] = ()     # choice: the values that are valid
    message_at_field: bool = True     # False where the page has no place for the field's message (reported)


def text(limit: int, *, required: bool = False) -> Field:
    return Field(Kind.TEXT, required=required, limit=limit)


def number(minimum: int | None = None, maximum: int | None = None, *, required: bool = False) -> Field:
    return Field(Kind.NUMBER, required=required, minimum=minimum, maximum=maximum)


# --- values --------------------------------------------------------------------------------------------------------

_CONTROLS = "".join(chr(code) for code in range(32)) + "\x7f"
_FIXED_TEXT = [
    SCRIPT, IMAGE, ATTRIBUTE, SQL, "Robert'); DROP TABLE application;--", "1 OR 1=1", NASTY_TEXT,
    "\x00", "a\x00b", _CONTROLS, "\x85\x9f\u2028\u2029", "\ufffe\uffff", "\ufeff", "e\u0301", "\u202egnp.exe",
    "\U0001F600" * 50, "", " ", "\t\r\n", "\r\n\r\n", "{{ 7*7 }}", "{% raw %}", "${7*7}", "%s%n%x", "../../etc/passwd",
    "\\", "a@b.c\r\nBcc: offer@example.com", "=HYPERLINK(\"http://x\")", "æøå ÆØÅ", LONG, "\x00" * 1000,
]
# Where to go next (a login's 'next', a button's 'tilbage'): each must stay in the portal or be ignored.
_REDIRECTS = ["/\\evil.example", "//evil.example", "/\r\nSet-Cookie: x=1", "/\t/evil.example", "https://evil.example/",
              "/%0d%0aX: 1", "/\x00", "javascript:alert(1)", "/ansoegninger?x=<script>", "///evil.example"]
# Sent as bytes: a lone surrogate as CESU-8 gives it, an overlong NUL, invalid UTF-8, a broken escape.
_RAW_BYTES = [b"\xed\xa0\x80", b"x\xed\xb3\xbfy", b"\xc0\x80", b"\xff\xfe\xfd", b"%zz%", b"\xe2\x82"]
_FIXED_NUMBERS = [
    "abc", "-1", "0", "1", "2147483647", "2147483648", "9223372036854775807", "9223372036854775808", str(2 ** 64),
    "1e309", "1e3", "1.000.000.000.000.000", "1.000.000.000", "999.999.999", "12,5", "1.5", "1 000", "١٢",
    "\uff11\uff12", "²", "0x10", "NaN", "inf", "-0", "+5", "0007", "1_000", "12.34.567", "kr.", " 5 kr. ", "5\x00",
    "--1", "", " ",
]
_FIXED_DATES = [
    "31-02-2017", "0000-00-00", "2017-02-29", "29-2-2016", "9999-12-31", "0001-01-01", "31.12.9999", "1-1-1",
    "2017-13-01", "2017-1-1", "32-1-2017", "00-00-0000", "2017-08-04T12:00", "i morgen", "4-8-2017", "1-1-99999",
    "2017-08-04\x00", "",
]
_FIXED_MOMENTS = [
    "0001-01-01T00:00", "9999-12-31T23:59", "2017-02-29T10:00", "2017-03-26T02:30", "2017-10-29T02:30",
    "2017-08-04T24:00", "2017-08-04 12:00", "2017-08-04T12:00:00", "2017-08-04", "0000-00-00T00:00",
    "2017-08-04T12:60", "",
]
_FIXED_CHOICES = ["x", "-1", "999999999999999999999", "1.5", "²", "None", "null", "\x00", SCRIPT, "0x1"]
_FIXED_CHECKS = ["", "y", "false", "0", "off", "nej", "\x00", SCRIPT]

# Wrong types, as a JSON body would carry them.
JSON_VALUES = [1, 1.5, None, True, [], ["a", "b"], {"a": 1}, 2 ** 70]

_any_text = st.text(max_size=40) | st.text(st.characters(categories=["Cc", "Cs", "Cf", "Zl", "Zp"]), max_size=6)


def values_for(kind: Kind) -> st.SearchStrategy:
    """Hostile values for a field of `kind`: its own kind's edge cases first, then anything at all."""
    anything = st.sampled_from(_FIXED_TEXT) | st.sampled_from(_RAW_BYTES) | _any_text
    if kind in (Kind.NUMBER, Kind.TENTHS):
        own = st.sampled_from(_FIXED_NUMBERS) | st.integers(-2 ** 70, 2 ** 70).map(str)
    elif kind is Kind.DATE:
        own = st.sampled_from(_FIXED_DATES) | st.dates().map(lambda day: f"{day.day}-{day.month}-{day.year}")
    elif kind is Kind.MOMENT:
        own = st.sampled_from(_FIXED_MOMENTS) | st.datetimes().map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M"))
    elif kind is Kind.CHOICE:
        own = st.sampled_from(_FIXED_CHOICES)
    elif kind is Kind.CHECK:
        own = st.sampled_from(_FIXED_CHECKS)
    elif kind is Kind.RAW:
        own = st.sampled_from(_REDIRECTS)
    else:
        own = st.sampled_from(_FIXED_TEXT)
    return st.one_of(own, anything)


# --- sending -------------------------------------------------------------------------------------------------------

def _quoted(value: str | bytes) -> str:
    if isinstance(value, str):
        value = value.encode("utf-8", "surrogatepass")
    return quote_plus(value)


def urlencoded(pairs: list[tuple[str, str | bytes]]) -> str:
    """The pairs as a urlencoded string, sent byte for byte as given (surrogates and invalid UTF-8 included)."""
    return "&".join(f"{_quoted(key)}={_quoted(value)}" for key, value in pairs)


def as_received(value: str | bytes) -> str:
    """The text the portal gets for a sent value: invalid UTF-8 (and so any lone surrogate) becomes U+FFFD."""
    raw = value.encode("utf-8", "surrogatepass") if isinstance(value, str) else value
    return raw.decode("utf-8", "replace")


# --- what the portal shows back ------------------------------------------------------------------------------------

_FIELD_ERROR = re.compile(r'<span class="form-error-message" id="([^"]+)-error">(?:<span class="sr-only">[^<]*</span>)?'
                          r'(.*?)</span>', re.S)
_ALERT = re.compile(r'<div class="alert alert-(?:error|warning)[^"]*"[^>]*>\s*<div class="alert-body">(.*?)</div>',
                    re.S)


def _visible(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def field_errors(html: str) -> dict[str, str]:
    """Each field's error message on the page, by the field's id."""
    return {field_id: _visible(message) for field_id, message in _FIELD_ERROR.findall(html)}


def alerts(html: str) -> list[str]:
    """The error and warning alerts at the top of the page (flashed messages, error summaries)."""
    return [_visible(body) for body in _ALERT.findall(html)]


def english_in(message: str, sent: str) -> str | None:
    """An English word in a message shown to the user, ignoring the user's own input quoted in it."""
    found = ENGLISH.search(message.replace(sent, " ") if sent else message)
    return found.group(0) if found else None


def forbidden_in(value) -> list[str]:
    """Every string inside `value` (nested dicts, lists, tuples) that holds a forbidden character."""
    if isinstance(value, str):
        found = FORBIDDEN.search(value)
        return [value[max(found.start() - 30, 0):found.start() + 10]] if found else []
    if isinstance(value, dict):
        return [found for item in value.items() for found in forbidden_in(item)]
    if isinstance(value, (list, tuple, set)):
        return [found for item in value for found in forbidden_in(item)]
    return []


def forbidden_in_database() -> list[str]:
    """'table.column' for every stored text or JSON value that holds a forbidden character."""
    found = []
    for table in db.metadata.sorted_tables:
        columns = [column for column in table.columns if isinstance(column.type, (sa.String, sa.Text, sa.JSON))]
        if not columns:
            continue
        for row in db.session.execute(sa.select(*columns)):
            for column, value in zip(columns, row):
                if forbidden_in(value):
                    found.append(f"{table.name}.{column.name}: {forbidden_in(value)[0]!r}")
    return found


# --- the property: one form, attacked one field at a time --------------------------------------------------------

@dataclass(frozen=True)
class Mutation:
    how: str          # 'replace', 'repeat' (a list of two values), 'missing', 'extra' (a field no form has), 'json'
    field: str
    value: object = None


@dataclass(frozen=True)
class Case:
    """A form: where it is posted, by whom, a valid input, what each field takes, and what the form may change.

    `baseline` and `stored` are called for every example, so a baseline can name the version it saw and a
    snapshot reads the database afresh. Keys of `baseline` and `fields` that start with '?' are URL arguments.
    """

    name: str
    client: Callable[[], object]
    url: Callable[[], str]
    baseline: Callable[[], dict[str, str]]
    fields: dict[str, Field]
    stored: Callable[[], object]
    method: str = "POST"
    refusal: str = "field"                      # 'field': the message is at the field; 'flash': flashed
    prepare: Callable[[], None] | None = None   # brings the world to where the form can succeed
    offered: Callable[[], bool] | None = None   # whether the page still offers the form (once its change is made)
    downstream: Callable[[], None] | None = None  # pages, PDFs and exports that show what was stored
    examples: int = 12
    partial: bool = False  # the form saves the fields it can read, so each attempt starts from the valid input
    always: tuple[Mutation, ...] = ()  # attempts made every run, before the random ones (bugs found before)


EXTRA_NAMES = ["budget-²-description", "participants-²-name", "budget-99999999999999999999-amount_kr",
               "participants-7-email", "decision_²", "x" * 5000, "__class__", "csrf_token", SCRIPT, "a\x00b",
               "fjern", "handling", "next"]


def mutations(case: Case) -> st.SearchStrategy:
    names = sorted(case.fields)

    def replaced(how):
        return st.sampled_from(names).flatmap(
            lambda name: values_for(case.fields[name].kind).map(lambda value: Mutation(how, name, value)))

    return st.one_of(
        replaced("replace"), replaced("replace"), replaced("replace"), replaced("repeat"),
        st.sampled_from(names).map(lambda name: Mutation("missing", name)),
        st.tuples(st.sampled_from(EXTRA_NAMES), values_for(Kind.TEXT)).map(lambda pair: Mutation("extra", *pair)),
        st.tuples(st.sampled_from(names), st.sampled_from(JSON_VALUES)).map(lambda pair: Mutation("json", *pair)),
    )


def send(client, case: Case, payload: dict[str, str], mutation: Mutation | None = None):
    """Post (or get) the payload with the mutation applied, as a hostile client would send it."""
    form = [(name, value) for name, value in payload.items() if not name.startswith("?")]
    query = [(name[1:], value) for name, value in payload.items() if name.startswith("?")]
    if mutation is not None and mutation.how != "json":
        target = query if mutation.field.startswith("?") else form
        key = mutation.field.removeprefix("?")
        if mutation.how == "extra":
            form.append((mutation.field, mutation.value))
        else:
            kept = [(name, value) for name, value in target if name != key]
            target[:] = kept
            if mutation.how == "replace":
                target.append((key, mutation.value))
            elif mutation.how == "repeat":
                target.extend([(key, mutation.value), (key, payload.get(mutation.field, ""))])
    url = case.url() + (f"?{urlencoded(query)}" if query else "")
    if case.method == "GET":
        return client.get(url + ("&" if query else "?") + urlencoded(form) if form else url)
    if mutation is not None and mutation.how == "json":
        body = {name: value for name, value in form}
        body[mutation.field.removeprefix("?")] = mutation.value
        return client.post(url, json=body)
    return client.post(url, data=urlencoded(form), content_type="application/x-www-form-urlencoded")


def flashed(client) -> list[tuple[str, str]]:
    """The messages flashed for the next page, taken from the session (so they do not pile up)."""
    with client.session_transaction() as session:
        return [tuple(item) for item in session.pop("_flashes", [])]


# --- judging an answer ---------------------------------------------------------------------------------------------

def cleaned(text: str) -> str:
    """What a field should hold of the text it was sent: no forbidden characters, composed (NFC)."""
    return unicodedata.normalize("NFC", FORBIDDEN.sub("", text))


def _whole_number(text: str) -> int | None:
    text = re.sub(r"(kr\.?)$", "", re.sub(r"\s", "", text), flags=re.IGNORECASE)
    if not re.fullmatch(r"-?[0-9]{1,3}(\.[0-9]{3})+|-?[0-9]+", text):
        return None
    return int(text.replace(".", ""))


def _tenths(text: str) -> int | None:
    match = re.fullmatch(r"([0-9]{1,3})(?:[,.]([0-9]))?", re.sub(r"\s|%", "", text))
    return None if match is None else int(match.group(1)) * 10 + int(match.group(2) or 0)


def _day(text: str) -> date | None:
    text = text.strip()
    try:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            day = date.fromisoformat(text)
        else:
            match = re.fullmatch(r"([0-9]{1,2})[.\-/]([0-9]{1,2})[.\-/]([0-9]{4})", text)
            day = None if match is None else date(*(int(part) for part in reversed(match.groups())))
    except ValueError:
        return None
    return day if day is not None and EARLIEST_YEAR <= day.year <= LATEST_YEAR else None


def _moment(text: str) -> datetime | None:
    if not text.isascii():
        return None
    try:
        moment = datetime.strptime(text.strip(), "%Y-%m-%dT%H:%M")
    except ValueError:
        return None
    return moment if EARLIEST_YEAR <= moment.year <= LATEST_YEAR else None


def must_refuse(field: Field, mutation: Mutation) -> bool:
    """Whether the form must refuse the field's value (and keep what it had); False where either is right."""
    if mutation.how == "missing":
        return field.required
    if mutation.how not in ("replace", "repeat") or field.kind is Kind.RAW:
        return False
    received = as_received(mutation.value)
    value = received if field.kind is Kind.PASSWORD else cleaned(received)
    if not (value if field.kind is Kind.PASSWORD else value.strip()):
        return field.required  # a password of blanks is the password rule's to refuse, after the form's checks
    if field.kind in (Kind.TEXT, Kind.EMAIL, Kind.PASSWORD):
        return field.limit is not None and len(value.replace("\r\n", "\n")) > field.limit
    if field.kind is Kind.NUMBER:
        number = _whole_number(value)
        return number is None or not ((field.minimum if field.minimum is not None else -LARGEST_NUMBER) <= number
                                      <= (field.maximum if field.maximum is not None else LARGEST_NUMBER))
    if field.kind is Kind.TENTHS:
        tenths = _tenths(value)
        return tenths is None or not field.minimum <= tenths <= field.maximum
    if field.kind is Kind.DATE:
        return _day(value) is None
    if field.kind is Kind.MOMENT:
        return _moment(value) is None
    if field.kind is Kind.CHOICE:
        return value not in field.choices
    if field.kind is Kind.CHECK:
        return field.required and value == "false"
    return False


def _local(location: str) -> bool:
    parts = urlsplit(location)
    return (parts.scheme in ("", "http") and parts.netloc in ("", "localhost") and "\\" not in location
            and not parts.path.startswith("//"))


def judge(case: Case, mutation: Mutation | None, response, flashes, before, after, offered: bool = True) \
        -> list[str]:
    """Everything wrong with the portal's answer to one post."""
    if response.status_code >= 500:
        return [f"status {response.status_code}"]
    problems = []
    body = response.get_data(as_text=True)
    problems += [f"{marker!r} shown unescaped" for marker in UNESCAPED if marker in body]
    if response.status_code in (301, 302, 303, 307, 308) and not _local(response.headers.get("Location", "")):
        problems.append(f"redirect away from the portal: {response.headers.get('Location')!r}")
    errors = field_errors(body)
    messages = [*errors.values(), *alerts(body), *(message for category, message in flashes
                                                     if category in ("error", "warning"))]
    sent = as_received(mutation.value) if mutation is not None and isinstance(mutation.value, (str, bytes)) else ""
    problems += [f"English in {message[:120]!r}" for message in messages if english_in(message, cleaned(sent))]
    field = case.fields.get(mutation.field) if mutation is not None else None
    if field is not None and must_refuse(field, mutation):
        name = mutation.field.removeprefix("?")
        # Refused: the message at the field, or flashed where the form redirects; or the form is no longer
        # offered (a letter accepted, a selection confirmed), so there is no field to show a message at.
        at_field = response.status_code == 200 and (name in errors or f'name="{name}"' not in body)
        flashed_error = any(category == "error" for category, _ in flashes)
        if not (at_field or (case.refusal == "flash" and flashed_error) or not field.message_at_field or not offered):
            problems.append(f"not refused at the field (status {response.status_code}, errors {errors}, "
                            f"flashed {flashes})")
        if after != before:
            problems.append(f"stored although refused: {'; '.join(difference(before, after))[:600]}")
    problems += [f"stored a forbidden character: {found!r}" for found in forbidden_in(after)]
    return problems


def difference(before, after, path: str = "") -> list[str]:
    """Where two snapshots differ, as 'path: before -> after'."""
    if isinstance(before, dict) and isinstance(after, dict):
        return [found for key in sorted(set(before) | set(after), key=str)
                for found in difference(before.get(key), after.get(key), f"{path}.{key}")]
    if isinstance(before, (list, tuple)) and isinstance(after, (list, tuple)) and len(before) == len(after):
        return [found for index, (old, new) in enumerate(zip(before, after))
                for found in difference(old, new, f"{path}[{index}]")]
    return [] if before == after else [f"{path or 'all'}: {before!r:.100} -> {after!r:.100}"]


def _snapshot(case: Case):
    db.session.rollback()
    return case.stored()


def _post(client, case: Case, payload, mutation=None):
    """The response and what it flashed; an exception in the app is a 500."""
    try:
        response = send(client, case, payload, mutation)
    except Exception as error:  # noqa: BLE001 - the app raised: what a user would meet as a 500 page
        raise AssertionError(f"{case.name}: {mutation!r:.300}: {type(error).__name__}: {error}"[:2000]) from error
    flashes = flashed(client) if response.status_code in (302, 303) else []
    return response, flashes


def _texts(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [found for item in value.items() for found in _texts(item)]
    if isinstance(value, (list, tuple)):
        return [found for item in value for found in _texts(item)]
    return []


def nasty(case: Case) -> list[str]:
    """The valid input with hostile text in every text field: taken, stored clean, shown escaped."""
    payload = case.baseline()
    texts = [name for name, field in case.fields.items() if field.kind is Kind.TEXT and name in payload]
    for name in texts:
        payload[name] = NASTY_TEXT[:case.fields[name].limit]
    client = case.client()
    before = _snapshot(case)
    try:
        response, flashes = _post(client, case, payload)
    except AssertionError as error:
        return [str(error)]
    after = _snapshot(case)
    problems = judge(case, None, response, flashes, before, after)
    body = response.get_data(as_text=True)
    taken = (response.status_code == 200 and not field_errors(body) if case.method == "GET" else
             response.status_code == 302 and not any(category == "error" for category, _ in flashes))
    if not taken:
        problems.append(f"hostile text in a valid input was not taken: status {response.status_code}, "
                        f"errors {field_errors(body)}, alerts {alerts(body)}, flashed {flashes}")
    elif texts and not any(SCRIPT in found for found in _texts(after)):
        problems.append(f"the text was not stored as written: {str(after)[:300]}")
    if response.status_code == 302:
        shown = client.get(response.headers["Location"])
        problems += [f"after the redirect: {problem}" for problem in judge(case, None, shown, [], after, after)]
    if case.downstream is not None and not problems:
        try:
            case.downstream()
        except Exception as error:  # noqa: BLE001 - a page, PDF or export that cannot show what was stored
            problems.append(f"showing what was stored: {type(error).__name__}: {error}"[:2000])
    return [f"{case.name}: {problem}" for problem in problems]


def exercise(case: Case) -> list[str]:
    """Attack the case's form: first the valid input with hostile text, then one field at a time. Returns the
    problems found, each naming the case (empty when the form holds)."""
    if case.prepare is not None:
        case.prepare()
    problems = nasty(case)
    if case.partial:
        _post(case.client(), case, case.baseline())
    start = _snapshot(case)
    failures = []  # the first failure as it happened: a replay may pass, since the database has moved on

    def attempts(test):
        for mutation in case.always:
            test = example(mutation=mutation)(test)
        return test

    @attempts
    @settings(max_examples=case.examples, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(mutation=mutations(case))
    def attempt(mutation):
        client = case.client()
        before = _snapshot(case)
        if case.partial and before != start:
            _post(client, case, case.baseline())
            before = _snapshot(case)
        offered = case.offered() if case.offered is not None else True
        response, flashes = _post(client, case, case.baseline(), mutation)
        found = judge(case, mutation, response, flashes, before, _snapshot(case), offered)
        if found:
            failures.append(f"{case.name}: {mutation!r:.300}: " + "; ".join(found))
        assert not found, failures[-1] if found else ""

    try:
        attempt()
    except Exception as error:  # noqa: BLE001 - hypothesis may wrap the failure (flaky, several at once)
        problems.append((failures[0] if failures else f"{case.name}: {type(error).__name__}: {error}")[:3000])
    return problems
