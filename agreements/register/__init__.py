"""The register and its lifecycle: entering and editing an agreement (actions, forms, views), the
one table of stage moves (lifecycle.py), the TKKSD's reviews, who reads an agreement besides the
whole register's readers (scope.py: its areas and DPRD dossiers), the stages' labels, the
register's figures (status.py) and its reads (selectors.py)."""
