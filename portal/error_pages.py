"""Danish error pages for 400, 403, 404, 405, 413 (too large), 429 (too many attempts), 500, and 503 when the
database does not answer."""
from __future__ import annotations

from flask import Flask, render_template, request
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError

from portal.extensions import db

PAGES = {
    400: ("Forespørgslen kunne ikke behandles",
          "Siden fik en forespørgsel, den ikke kunne forstå. Gå tilbage, og prøv igen."),
    403: ("Du har ikke adgang til siden",
          "Din bruger har ikke adgang til denne side. Kontakt styrelsen, hvis du mener, det er en fejl."),
    404: ("Siden findes ikke", "Siden findes ikke, eller du har ikke adgang til den. Kontrollér adressen."),
    405: ("Handlingen er ikke tilladt", "Siden kan ikke bruges på denne måde."),
    413: ("Det, du sendte, fylder for meget",
          "Portalen tager højst imod {limit} MB ad gangen, og intet er gemt fra den handling. Gå tilbage i browseren: "
          "det, du skrev, står normalt stadig i felterne. Gør de lange tekster kortere, og prøv igen."),
    429: ("For mange forsøg", "Der har været for mange forsøg på kort tid. Vent lidt, og prøv igen."),
    500: ("Der skete en fejl",
          "Der skete en fejl hos os. Intet er gemt fra den handling, du lige foretog. Prøv igen om lidt."),
    503: ("Portalen er midlertidigt utilgængelig",
          "Databasen svarer ikke lige nu. Intet er gemt fra den handling, du lige foretog. Prøv igen om et øjeblik."),
}


def _page(status: int, **values):
    title, text = PAGES[status]
    return render_template("errors/error.html", status=status, title=title, text=text.format(**values)), status


def register(app: Flask) -> None:
    for status in (400, 403, 404, 405, 500):
        app.register_error_handler(status, lambda error, status=status: _page(status))

    @app.errorhandler(413)
    def too_large(error):
        megabytes = app.config["MAX_CONTENT_LENGTH"] / (1024 * 1024)
        return _page(413, limit=f"{megabytes:g}".replace(".", ","))

    @app.errorhandler(429)
    def too_many_requests(error):
        if request.endpoint == "auth.login":
            from portal.auth.views import render_login_limited

            return render_login_limited()
        return _page(429)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(error):
        """The database is down, restarting or lost the connection: the transaction is gone with it.

        The page stands alone and is rendered without the context processors (Flask-Login's loads the
        user): anything that reads the database would fail again.
        """
        app.logger.error("database unavailable: %s", error)
        try:
            db.session.rollback()
        except SQLAlchemyError:  # the connection is already lost; the session is discarded at teardown
            pass
        title, text = PAGES[503]
        page = app.jinja_env.get_template("errors/unavailable.html").render(title=title, text=text, path=request.path)
        return page, 503, {"Retry-After": "30"}
