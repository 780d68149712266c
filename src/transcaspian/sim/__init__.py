"""SimPy models of the corridor and Monte Carlo sweeps on Dask. Imports the domain only."""
