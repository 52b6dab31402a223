"""The judge's HTTP API, schemas, database models, settings and command line."""
