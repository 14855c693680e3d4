"""The register as a spreadsheet (exporting.py) and the bulk import of old agreements
(importing.py), with their forms and views."""
