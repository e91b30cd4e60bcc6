"""tunnelsight's processing code: ingest, parse, correlate, classify, and the Faust app that runs them."""

__version__ = "0.1.0"
