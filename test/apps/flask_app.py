"""A Flask service instrumented with the classic Python aws-xray-sdk (XRayMiddleware + patched
requests), for the mixed-fleet tests. Samples everything (sampling=False), sends to
AWS_XRAY_DAEMON_ADDRESS. Routes: `/` answers; `/call?to=<url>` calls that URL with requests.
Listens on 127.0.0.1:PORT (default 0 = ephemeral) and prints `LISTENING <port>`."""
import logging
import os
import sys

import requests
from flask import Flask, jsonify, request
from werkzeug.serving import make_server

from aws_xray_sdk.core import patch, xray_recorder
from aws_xray_sdk.ext.flask.middleware import XRayMiddleware

logging.basicConfig(level=logging.WARNING, stream=sys.stderr)

xray_recorder.configure(
    service="flask",
    sampling=False,
    context_missing="LOG_ERROR",
    daemon_address=os.environ["AWS_XRAY_DAEMON_ADDRESS"],
)
patch(["requests"])

app = Flask(__name__)
XRayMiddleware(app, xray_recorder)


def trace_id():
    entity = xray_recorder.current_segment()
    return entity.trace_id if entity else None


@app.route("/")
def index():
    return jsonify(ok=True, traceId=trace_id())


@app.route("/call")
def call():
    target = request.args.get("to") or os.environ.get("DOWNSTREAM_URL")
    downstream = requests.get(target, timeout=5)
    return jsonify(ok=downstream.status_code == 200, traceId=trace_id(), downstream=downstream.text)


if __name__ == "__main__":
    server = make_server("127.0.0.1", int(os.environ.get("PORT", "0")), app, threaded=True)
    print(f"LISTENING {server.server_port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
