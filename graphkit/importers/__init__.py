"""Importers for machine-coded event data (GDELT, ACLED) and STIX 2.1 bundles."""
