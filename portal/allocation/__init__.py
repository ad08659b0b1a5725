"""Sharing the pool among the selected kommuner: the pure allocation engine and its command line."""
