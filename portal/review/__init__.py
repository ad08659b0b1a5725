"""Caseworkers' review: scores, the selection and its spread."""
