"""Test support: a throwaway PostgreSQL cluster, an SMTP server on loopback, database helpers."""
