"""Export to Turtle, run the shipped SPARQL queries, push to a SPARQL server if one is given.

Run: python examples/04_rdf_sparql.py [OUTPUT_DIR] [--endpoint URL]
e.g. with Oxigraph: oxigraph serve --location /tmp/ox --bind 127.0.0.1:7878, then
     python examples/04_rdf_sparql.py out --endpoint http://127.0.0.1:7878
"""

import sys
from pathlib import Path

import graphkit as gk
from graphkit.rdf import parse_binding, query_graph

ROOT = Path(__file__).resolve().parents[1]
args = sys.argv[1:]
endpoint = None
if "--endpoint" in args:
    endpoint = args[args.index("--endpoint") + 1]
    del args[args.index("--endpoint") : args.index("--endpoint") + 2]
out = Path(args[0]) if args else ROOT / "out"
out.mkdir(parents=True, exist_ok=True)

kb = gk.load(ROOT / "data" / "events.yaml")
graph = kb.to_rdf()
turtle = out / "events.ttl"
graph.serialize(turtle, format="turtle")
print(f"wrote {turtle}: {len(graph)} triples")

# The shipped analyst queries, with parameters bound (never spliced into the query text).
parameters = {
    "events-involving-actor.rq": ["actor=actor:PRK", "from=2024-10-01", "to=2024-10-31"],
    "relations-valid-at.rq": ["day=2024-10-20"],
    "according-to.rq": ["actor=actor:KOR-NIS"],
}
for query_file in sorted((ROOT / "examples" / "queries").glob("*.rq")):
    binds = dict(parse_binding(b) for b in parameters.get(query_file.name, []))
    try:
        result = query_graph(graph, query_file.read_text(encoding="utf-8"), binds)
    except gk.GraphkitError as exc:  # a query that needs parameters this example does not give
        print(f"{query_file.name}: skipped ({exc})")
        continue
    print(f"{query_file.name}: {len(result.rows)} rows ({', '.join(result.variables)})")
    for row in result.values()[:3]:
        print("   ", " | ".join(str(value) for value in row))

if endpoint:
    pushed = gk.push(kb, endpoint + "/store", replace=True)
    print(f"pushed to {endpoint}: {pushed}")
    again = gk.load_endpoint(endpoint + "/query")
    print("read back equals the local knowledge base:", again == kb)
