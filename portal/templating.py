"""Jinja filters (Danish formatting) and the values every page knows (the clock banner, the user's menu)."""
from __future__ import annotations

from flask import Flask
from flask_login import current_user

from portal import clock, formatting, permissions
from portal.reports import measures
from portal.reports.services import has_reports


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        kr=formatting.format_kr,
        tal=formatting.format_number,
        andel=formatting.format_share,
        dato=formatting.format_date,
        ugedag_dato=formatting.format_weekday_date,
        dato_tid=formatting.format_datetime,
        tid=formatting.format_time,
        uge=formatting.format_week,
        dage=formatting.format_days,
        maal=measures.format_ratio,
        procent=measures.format_percent,
        procentpoint=measures.format_points,
    )
    app.jinja_env.globals.update(permissions=permissions, has_reports=has_reports)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def portal_context():
        portal_clock = clock.get_clock()
        return {
            "portal_now": portal_clock.now(),
            "clock_is_shifted": portal_clock.is_shifted,
            "current_user": current_user,
        }
