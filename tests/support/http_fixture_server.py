#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The tests' local web server: 127.0.0.1, a free port, never the internet.

Usage: http_fixture_server.py [ROOT]
Prints "PORT" on its first stdout line once listening, then serves until killed.

Routes (all invented content; see tests/data/sources/):
  /echo                 JSON of the request: method, path, headers (lower-cased), body
                        (latin-1), and the multipart parts parsed by Python's email parser
  /redirect/N           302 to /redirect/N-1; /redirect/0 answers "arrived"
  /loop                 302 to itself, forever
  /big/MB[?length=1]    MB megabytes of 'a', streamed in 64 KB pieces (with Content-Length if length=1)
  /slow/SECONDS         waits, then answers "late"
  /status/CODE          that status, body "status CODE"
  /cond                 ETag "v1" and a Last-Modified; 304 when If-None-Match or If-Modified-Since match
  /hits                 JSON: how many times each path was asked for, and how many got 304
  /wp-json/wp/v2/posts  a tiny WordPress: ROOT/wp/posts.json filtered by categories and search,
                        newest first, paged by per_page and page, with X-WP-Total and X-WP-TotalPages
  /wp-json/wp/v2/categories?slug=S   ROOT/wp/categories.json filtered by slug
  /files/PATH[?type=T]  ROOT/PATH as bytes, Content-Type T (default from the extension, no charset),
                        with an ETag; 304 when If-None-Match matches

Dates relative to now, so `since:` tests do not age: in served feeds, pages and
wp/posts.json, {{RFC822_AGO:N}}, {{ISO_AGO:N}} and {{WPGMT_AGO:N}} become the
time N hours ago as RFC 822, RFC 3339 (Z) and WordPress date_gmt.
"""
import email.parser, email.policy, email.utils, json, os, re, sys, threading, time, urllib.parse
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = sys.argv[1] if len(sys.argv) > 1 else '.'
HITS = Counter()
NOT_MODIFIED = Counter()
LOCK = threading.Lock()
LAST_MODIFIED = 'Wed, 21 Oct 2026 07:28:00 GMT'
TYPES = {'.xml': 'application/xml', '.rss': 'application/rss+xml', '.atom': 'application/atom+xml',
         '.html': 'text/html', '.json': 'application/json', '.txt': 'text/plain'}


def dated(data):
    def fill(m):
        t = time.time() - float(m.group(2)) * 3600
        if m.group(1) == 'RFC822':
            return email.utils.formatdate(t, usegmt=True).encode()
        stamp = time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(t))
        return (stamp + 'Z' if m.group(1) == 'ISO' else stamp).encode()
    return re.sub(rb'\{\{(RFC822|ISO|WPGMT)_AGO:([0-9.]+)\}\}', fill, data)


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):
        pass

    def send(self, status, body=b'', ctype='text/plain', headers=()):
        self.send_response(status)
        self.send_header('Content-Type', ctype)
        self.send_header('Content-Length', str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(body)

    def body(self):
        n = int(self.headers.get('Content-Length') or 0)
        return self.rfile.read(n) if n else b''

    def handle_any(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        path = url.path
        with LOCK:
            HITS[path] += 1
        parts = path.strip('/').split('/')
        if path == '/echo':
            raw = self.body()
            out = {'method': self.command, 'path': self.path,
                   'headers': {k.lower(): v for k, v in self.headers.items()},
                   'body': raw.decode('latin-1'), 'parts': []}
            ctype = self.headers.get('Content-Type', '')
            if ctype.startswith('multipart/form-data'):
                msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                    b'Content-Type: ' + ctype.encode() + b'\r\n\r\n' + raw)
                for part in msg.iter_parts():
                    out['parts'].append({'name': part.get_param('name', header='content-disposition'),
                                         'filename': part.get_filename(),
                                         'content_type': part.get_content_type(),
                                         'data': part.get_payload(decode=True).decode('latin-1')})
            return self.send(200, json.dumps(out).encode(), 'application/json')
        if parts[0] == 'redirect' and len(parts) == 2:
            n = int(parts[1])
            if n == 0:
                return self.send(200, b'arrived')
            return self.send(302, b'', headers=[('Location', f'/redirect/{n - 1}')])
        if path == '/loop':
            return self.send(302, b'', headers=[('Location', '/loop')])
        if parts[0] == 'big' and len(parts) == 2:
            total = int(parts[1]) * 1024 * 1024
            self.send_response(200)
            self.send_header('Content-Type', 'text/html')
            if query.get('length') == ['1']:
                self.send_header('Content-Length', str(total))
            else:
                self.send_header('Connection', 'close')
                self.close_connection = True
            self.end_headers()
            piece = b'a' * 65536
            sent = 0
            try:
                while sent < total:
                    self.wfile.write(piece)
                    sent += len(piece)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading at its limit: what the test wants
            return
        if parts[0] == 'slow' and len(parts) == 2:
            time.sleep(float(parts[1]))
            return self.send(200, b'late')
        if parts[0] == 'status' and len(parts) == 2:
            return self.send(int(parts[1]), f'status {parts[1]}'.encode())
        if path == '/cond':
            if self.headers.get('If-None-Match') == '"v1"' or self.headers.get('If-Modified-Since') == LAST_MODIFIED:
                with LOCK:
                    NOT_MODIFIED[path] += 1
                self.send_response(304)
                self.send_header('ETag', '"v1"')
                self.end_headers()
                return
            return self.send(200, b'fresh', headers=[('ETag', '"v1"'), ('Last-Modified', LAST_MODIFIED)])
        if path == '/hits':
            with LOCK:
                return self.send(200, json.dumps({'hits': HITS, 'not_modified': NOT_MODIFIED}).encode(), 'application/json')
        if path == '/wp-json/wp/v2/posts':
            posts = json.loads(dated(open(os.path.join(ROOT, 'wp', 'posts.json'), 'rb').read()))
            if 'categories' in query:
                cats = {int(c) for c in query['categories'][0].split(',')}
                posts = [p for p in posts if cats & set(p.get('categories', []))]
            if 'search' in query:
                s = query['search'][0].lower()
                posts = [p for p in posts if s in p['title']['rendered'].lower() or s in p['content']['rendered'].lower()]
            posts.sort(key=lambda p: p['date_gmt'], reverse=True)
            per_page = int(query.get('per_page', ['10'])[0])
            page = int(query.get('page', ['1'])[0])
            pages = max(1, -(-len(posts) // per_page))
            if page > pages:
                return self.send(400, b'{"code":"rest_post_invalid_page_number"}', 'application/json')
            chunk = posts[(page - 1) * per_page: page * per_page]
            return self.send(200, json.dumps(chunk).encode(), 'application/json; charset=UTF-8',
                             [('X-WP-Total', str(len(posts))), ('X-WP-TotalPages', str(pages))])
        if path == '/wp-json/wp/v2/categories':
            cats = json.load(open(os.path.join(ROOT, 'wp', 'categories.json'), encoding='utf-8'))
            if 'slug' in query:
                cats = [c for c in cats if c['slug'] == query['slug'][0]]
            return self.send(200, json.dumps(cats).encode(), 'application/json; charset=UTF-8')
        if parts[0] == 'files':
            rel = urllib.parse.unquote(path[len('/files/'):])
            full = os.path.realpath(os.path.join(ROOT, rel))
            if not full.startswith(os.path.realpath(ROOT) + os.sep) or not os.path.isfile(full):
                return self.send(404, b'not found')
            raw = open(full, 'rb').read()
            etag = '"%x"' % (hash(raw) & 0xffffffff)
            if self.headers.get('If-None-Match') == etag:
                with LOCK:
                    NOT_MODIFIED[path] += 1
                self.send_response(304)
                self.send_header('ETag', etag)
                self.end_headers()
                return
            data = dated(raw)
            ctype = query.get('type', [TYPES.get(os.path.splitext(full)[1], 'application/octet-stream')])[0]
            return self.send(200, data, ctype, [('ETag', etag)])
        return self.send(404, b'not found')

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_any


class Server(ThreadingHTTPServer):
    daemon_threads = True


server = Server(('127.0.0.1', 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
