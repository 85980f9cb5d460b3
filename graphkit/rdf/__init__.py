"""RDF export and import on standard vocabularies (the only package that imports rdflib)."""
