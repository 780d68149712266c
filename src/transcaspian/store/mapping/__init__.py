"""Rows <-> domain objects, one module per feature, both ways and nothing else."""
