"""The waitress server runner named by the ini files.

The port comes from, in order: the environment variable SILAT_PORT,
pserve's ``http_port=N`` argument, the ini's ``port``. So the port can
be changed without editing a file.
"""
import os

import waitress


def serve(app, global_conf, host="127.0.0.1", port="6543", **settings):
    port = os.environ.get("SILAT_PORT") or global_conf.get("http_port") or port
    waitress.serve(app, host=host, port=int(port), **settings)
