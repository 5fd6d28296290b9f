"""A discarding OTLP/HTTP receiver for the bench scripts: reads each request body and answers 200.

    python3 bench/otlp-discard.py [PORT]      (default 14318)
"""
import http.server
import sys


class Discard(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        self.send_response(200)
        self.send_header('Content-Length', '0')
        self.end_headers()

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1]) if len(sys.argv) > 1 else 14318), Discard).serve_forever()
