"""Exports of lists for caseworkers and the external evaluator: CSV and XLSX files."""
