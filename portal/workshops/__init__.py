"""Workshops and meetings: events the kommuner book, waiting lists, invitations."""
