"""clusterhub: run health-innovation ecosystem events and turn them into partnerships."""

__version__ = "0.1.0"
