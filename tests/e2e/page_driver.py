#!/usr/bin/env python3
"""Drives headless Chromium over the DevTools protocol (standard library only)
to check an episode page written by `warta say ... --transcript`.

Usage: page_driver.py CHROMIUM PAGE.html [TIMEOUT_SECONDS]

Prints one line per check, "ok NAME: detail" or "FAIL NAME: detail", and
exits 0 only if every check passed. Everything is bounded in time: each
protocol call, each wait, and the whole run (SIGALRM); Chromium is killed
(its whole process group) on every exit path."""

import base64
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

failures = 0


def report(ok, name, detail=""):
    global failures
    if not ok:
        failures += 1
    print(("ok " if ok else "FAIL ") + name + ": " + str(detail), flush=True)


class WebSocket:
    """A minimal RFC 6455 client: text frames out (masked), frames in."""

    def __init__(self, url, timeout):
        u = urllib.parse.urlparse(url)
        self.sock = socket.create_connection((u.hostname, u.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {u.path} HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise RuntimeError("websocket handshake: connection closed")
            head += chunk
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError("websocket handshake refused: " + head.decode(errors="replace"))

    def _exact(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise RuntimeError("websocket closed")
            data += chunk
        return data

    def send(self, text):
        payload = text.encode()
        header = bytes([0x81])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def recv(self):
        message = b""
        while True:
            b0, b1 = self._exact(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._exact(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._exact(8))[0]
            mask = self._exact(4) if b1 & 0x80 else None
            data = self._exact(n)
            if mask:
                data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
            opcode = b0 & 0x0F
            if opcode == 8:
                raise RuntimeError("websocket closed by the browser")
            if opcode in (9, 10):  # ping/pong: ignore
                continue
            message += data
            if b0 & 0x80:
                return message.decode()


class Page:
    def __init__(self, ws):
        self.ws = ws
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def js(self, expression):
        r = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"script error in {expression!r}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def wait(self, expression, seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if self.js(expression):
                return True
            time.sleep(0.1)
        return False

    def key(self, key, code, vk):
        for kind in ("rawKeyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", type=kind, key=key, code=code,
                      windowsVirtualKeyCode=vk, nativeVirtualKeyCode=vk)

    def enter(self):  # with the char event, which is what activates a focused button
        self.call("Input.dispatchKeyEvent", type="rawKeyDown", key="Enter", code="Enter",
                  windowsVirtualKeyCode=13, nativeVirtualKeyCode=13)
        self.call("Input.dispatchKeyEvent", type="char", key="Enter", code="Enter", text="\r",
                  windowsVirtualKeyCode=13, nativeVirtualKeyCode=13)
        self.call("Input.dispatchKeyEvent", type="keyUp", key="Enter", code="Enter",
                  windowsVirtualKeyCode=13, nativeVirtualKeyCode=13)

    def click(self, selector):
        box = self.js(f"""(function(){{ var e = document.querySelector({json.dumps(selector)});
            e.scrollIntoView({{block: 'center'}}); var r = e.getBoundingClientRect();
            return [r.left + r.width / 2, r.top + r.height / 2]; }})()""")
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)


# Which control has the focus, as a stable name: "a.skip", "audio", "chapter:2", "cue:7", ...
ACTIVE = """(function () {
  var a = document.activeElement;
  if (!a || a === document.body || a === document.documentElement) return "body";
  if (a.classList.contains("skip")) return "a.skip";
  if (a.tagName === "AUDIO") return "audio";
  var list = a.closest("ol");
  if (a.tagName === "BUTTON" && list) {
    var kind = list.classList.contains("chapters") ? "chapter" : "cue";
    return kind + ":" + Array.prototype.indexOf.call(list.querySelectorAll("button"), a);
  }
  return a.tagName.toLowerCase() + (a.id ? "#" + a.id : "") + (a.getAttribute("href") ? "[" + a.getAttribute("href") + "]" : "");
})()"""


def run(chromium, page_file):
    profile = tempfile.mkdtemp(prefix="warta-chromium-")
    browser = None
    try:
        browser = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-default-apps", "--mute-audio", "--user-data-dir=" + profile,
             "--autoplay-policy=no-user-gesture-required", "--remote-debugging-port=0", "--remote-allow-origins=*",
             "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        port_file = os.path.join(profile, "DevToolsActivePort")
        end = time.monotonic() + 30
        while not (os.path.exists(port_file) and open(port_file).read().strip()):
            if browser.poll() is not None:
                raise RuntimeError(f"chromium exited with status {browser.returncode} before listening")
            if time.monotonic() > end:
                raise RuntimeError("chromium did not open its DevTools port within 30 s")
            time.sleep(0.1)
        port = int(open(port_file).read().split()[0])
        targets = []
        end = time.monotonic() + 10
        while not targets and time.monotonic() < end:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as r:
                targets = [t for t in json.load(r) if t.get("type") == "page"]
            if not targets:
                time.sleep(0.1)
        if not targets:
            raise RuntimeError("chromium has no page target")
        page = Page(WebSocket(targets[0]["webSocketDebuggerUrl"], timeout=15))
        page.call("Page.enable")
        page.call("Runtime.enable")
        page.call("Emulation.setFocusEmulationEnabled", enabled=True)
        url = "file://" + urllib.parse.quote(os.path.abspath(page_file))
        page.call("Page.navigate", url=url)
        report(page.wait("document.readyState === 'complete' && !!document.getElementById('audio')", 15),
               "page loads", url)

        # The player loads the MP3 and the page shows its length.
        loaded = page.wait("(function(a){ return a.readyState >= 1 && isFinite(a.duration) && a.duration > 0; })"
                           "(document.getElementById('audio'))", 20)
        info = page.js("""(function () {
          var a = document.getElementById("audio"), d = document.getElementById("duration"), r = d.getBoundingClientRect();
          var s = Math.floor(a.duration), shown = d.textContent;
          var want = (s >= 3600 ? Math.floor(s / 3600) + ":" + String(Math.floor(s / 60) % 60).padStart(2, "0")
                                : String(Math.floor(s / 60))) + ":" + String(s % 60).padStart(2, "0");
          return { duration: a.duration, error: a.error ? a.error.code : 0, shown: shown, want: want,
                   visible: r.width > 0 && r.height > 0 && getComputedStyle(d).visibility === "visible",
                   lang: document.documentElement.lang, title: document.title };
        })()""")
        report(loaded and info["duration"] > 0, "audio.duration > 0", info)
        report(info["shown"] == info["want"] and info["visible"], "duration shown", info)
        report(info["lang"] == "id", "lang is id", info["lang"])

        # A mouse click on each chapter seeks to its start.
        chapters = page.js("Array.prototype.map.call(document.querySelectorAll('.chapters button'),"
                           " function (b) { return parseFloat(b.getAttribute('data-start')); })")
        report(len(chapters) >= 1, "chapters listed", chapters)
        for i in reversed(range(len(chapters))):
            page.click(f".chapters li:nth-child({i + 1}) button")
            page.wait(f"Math.abs(document.getElementById('audio').currentTime - {chapters[i]}) <= 0.1", 5)
            state = page.js(f"""(function () {{ var b = document.querySelectorAll('.chapters button')[{i}];
                return {{ t: document.getElementById('audio').currentTime, current: b.getAttribute('aria-current') }}; }})()""")
            report(abs(state["t"] - chapters[i]) <= 0.1 and state["current"] == "true",
                   f"chapter {i + 1} click seeks to {chapters[i]:.3f}", state)

        # Enter on a sentence seeks there and highlights it.
        cues = page.js("Array.prototype.map.call(document.querySelectorAll('.transcript button'),"
                       " function (b) { return parseFloat(b.getAttribute('data-start')); })")
        report(len(cues) >= 5, "transcript sentences listed", len(cues))
        if cues:
            k = max(1, len(cues) // 2 - 1)  # not a chapter start
            page.js(f"document.querySelectorAll('.transcript button')[{k}].focus()")
            page.enter()
            page.wait(f"Math.abs(document.getElementById('audio').currentTime - {cues[k]}) <= 0.1", 5)
            page.wait(f"document.querySelectorAll('.transcript button')[{k}].getAttribute('aria-current') === 'true'", 3)
            state = page.js(f"""(function () {{ var b = document.querySelectorAll('.transcript button')[{k}];
                return {{ t: document.getElementById('audio').currentTime, current: b.getAttribute('aria-current'),
                          highlighted: document.querySelectorAll('.transcript [aria-current]').length }}; }})()""")
            report(abs(state["t"] - cues[k]) <= 0.1 and state["current"] == "true" and state["highlighted"] == 1,
                   f"Enter on sentence {k + 1} seeks to {cues[k]:.3f} and highlights it", state)

        # Playing: the sentence being heard is the one highlighted (timeupdate).
        if len(cues) >= 3:
            j = 2
            started = page.js(f"""(function (a) {{ a.currentTime = {cues[j]} + 0.05;
                return a.play().then(function () {{ return true; }}, function (e) {{ return String(e); }}); }})
                (document.getElementById('audio'))""")
            played = page.wait(f"document.getElementById('audio').currentTime > {cues[j]} + 0.6", 10)
            state = page.js("""(function (a) { a.pause(); var t = a.currentTime, want = -1;
                var bs = document.querySelectorAll('.transcript button');
                for (var i = 0; i < bs.length; i++) if (parseFloat(bs[i].getAttribute('data-start')) <= t) want = i;
                var now = document.querySelector('.transcript [aria-current="true"]');
                return { t: t, want: want, now: now ? Array.prototype.indexOf.call(bs, now) : -1,
                         cls: now ? now.className : '' }; })(document.getElementById('audio'))""")
            report(started is True and played and state["now"] == state["want"] and state["cls"] == "now",
                   "while playing, the sentence heard is highlighted", {"play": started, **state})

        # Tab from the top reaches every control, in order, each with a visible focus outline.
        page.call("Page.reload", ignoreCache=True)
        page.wait("document.readyState === 'complete' && !!document.getElementById('audio')", 15)
        page.js("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); true")
        expected = ["a.skip", "audio"] + [f"chapter:{i}" for i in range(len(chapters))] + \
                   [f"cue:{i}" for i in range(len(cues))]
        reached, unstyled = [], []
        for _ in range(len(expected) + 40):
            page.key("Tab", "Tab", 9)
            name = page.js(ACTIVE)
            if name.startswith(("chapter:", "cue:", "a.skip")):
                outline = page.js("(function (s) { return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; })"
                                  "(getComputedStyle(document.activeElement))")
                if not outline:
                    unstyled.append(name)
            if not reached or reached[-1] != name:
                reached.append(name)
            if name.startswith("a[") or (reached and name == "a.skip" and len(reached) > 1):
                break  # the footer's link, or wrapped around
        in_order = [n for n in reached if n in expected]
        missing = [n for n in expected if n not in reached]
        report(not missing, "Tab reaches every control", {"missing": missing, "reached": reached})
        report(in_order == expected, "Tab order is skip link, player, chapters, sentences", in_order[:6])
        report(not unstyled, "focused controls show an outline", unstyled)
    finally:
        if browser is not None:
            # SIGTERM first, so Chromium reaps its own helpers; then nothing of its group survives.
            if browser.poll() is None:
                browser.terminate()
                try:
                    browser.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    pass
            try:
                os.killpg(browser.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                browser.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        shutil.rmtree(profile, ignore_errors=True)


def main():
    if len(sys.argv) < 3:
        print("usage: page_driver.py CHROMIUM PAGE.html [TIMEOUT_SECONDS]", file=sys.stderr)
        return 2
    timeout = int(sys.argv[3]) if len(sys.argv) > 3 else 90

    def expired(*_):
        raise TimeoutError(f"the browser check took more than {timeout} s")

    signal.signal(signal.SIGALRM, expired)
    signal.alarm(timeout)
    try:
        run(sys.argv[1], sys.argv[2])
    except Exception as e:  # noqa: BLE001 - every failure is one reported line
        report(False, "driver", f"{type(e).__name__}: {e}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
