"""Reading pages as a person reads them: the visible text, whitespace folded, and the page's structure."""
import re
from html.parser import HTMLParser


def page_text(response) -> str:
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" .", ".").replace("( ", "(").replace(" )", ")")


class PageStructure(HTMLParser):
    """What a screen-reader user relies on: language, skip link, landmarks, one h1, a label for every control."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = None
        self.ids: set[str] = set()
        self.label_targets: set[str] = set()
        self.controls: list[str] = []
        self.landmarks: set[str] = set()
        self.skip_target = None
        self.h1_count = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "label" and "for" in attributes:
            self.label_targets.add(attributes["for"])
        if tag in ("main", "header", "footer", "nav"):
            self.landmarks.add(tag)
        if tag == "h1":
            self.h1_count += 1
        if tag == "a" and "skipnav" in (attributes.get("class") or ""):
            self.skip_target = attributes.get("href", "").lstrip("#")
        if tag in ("input", "select", "textarea") and attributes.get("type") not in ("hidden", "submit"):
            self.controls.append(attributes.get("id") or f"<{tag} name={attributes.get('name')}>")

    def problems(self) -> list[str]:
        """Each structural rule the page breaks, in words; empty when it keeps them all."""
        found = []
        if self.lang != "da":
            found.append(f"lang is {self.lang!r}, not 'da'")
        if not (self.skip_target == "main-content" and "main-content" in self.ids):
            found.append("no skip link to #main-content")
        if not {"header", "main", "footer"} <= self.landmarks:
            found.append(f"landmarks are {sorted(self.landmarks)}")
        if self.h1_count != 1:
            found.append(f"{self.h1_count} h1 headings")
        found.extend(f"{control} has no label" for control in self.controls if control not in self.label_targets)
        return found


def page_structure(response) -> PageStructure:
    parser = PageStructure()
    parser.feed(response.get_data(as_text=True))
    return parser


class _Tables(HTMLParser):
    def __init__(self, css_class: str) -> None:
        super().__init__()
        self.css_class = css_class
        self.rows: list[list[str]] = []
        self._depth = 0  # > 0 inside the wanted table's tbody
        self._inside_table = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and self.css_class in (dict(attrs).get("class") or "").split():
            self._inside_table = True
        elif self._inside_table and tag == "tbody":
            self._depth = 1
        elif self._depth and tag == "tr":
            self.rows.append([])
        elif self._depth and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if self._depth and tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tbody" and self._depth:
            self._depth = 0
        elif tag == "table":
            self._inside_table = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def table_rows(response, css_class: str) -> list[list[str]]:
    """The body rows of the table with the given class, each cell's text with whitespace folded."""
    parser = _Tables(css_class)
    parser.feed(response.get_data(as_text=True))
    return parser.rows


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and "name" in attributes:
            self.values[attributes["name"]] = attributes.get("value") or ""


def input_values(response) -> dict[str, str]:
    """Each input's value by its name, as the browser would fill the form in."""
    parser = _Inputs()
    parser.feed(response.get_data(as_text=True))
    return parser.values
