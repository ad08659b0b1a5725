"""Reading pages as a person reads them: the visible text, whitespace folded."""
import re


def page_text(response) -> str:
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" .", ".").replace("( ", "(").replace(" )", ")")
