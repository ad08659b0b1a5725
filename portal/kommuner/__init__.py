"""The 98 Danish municipalities (kommuner): reference data, size classes, the caseworkers' list."""
