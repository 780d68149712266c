"""Use cases the adapters call. Imports the domain, the simulator and services.ports."""
