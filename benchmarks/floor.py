"""The floor: a bare Flask app with one tiny page, served by gunicorn with the same settings as the portal.

Its latency is what the machine, gunicorn and the load generator cost before the portal does any work;
benchmarks/run.py reports every page's p95 as a multiple of this one's.
"""

from flask import Flask

app = Flask(__name__)

PAGE = (
    "<!doctype html><html lang=\"da\"><head><meta charset=\"utf-8\"><title>Gulv</title></head>"
    "<body><h1>Gulv</h1><p>Den mindste side, til sammenligning.</p></body></html>"
)


@app.get("/")
def floor():
    return PAGE
