"""Transform: typed canonical tables from recognised raw tables, and the generic derivations."""
