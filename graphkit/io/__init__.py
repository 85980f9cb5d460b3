"""Reading and writing knowledge base files (YAML; RDF lives in :mod:`graphkit.rdf`)."""
