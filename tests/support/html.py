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
