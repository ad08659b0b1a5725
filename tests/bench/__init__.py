"""The benchmark (`make bench`) and the deadline-day load test (`make loadtest`); run as modules, not by pytest."""
