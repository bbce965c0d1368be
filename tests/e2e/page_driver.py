#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Drives headless Chromium over the DevTools protocol (standard library only)
to check an episode page (src/publish/page.cpp): one written by
`warta say ... --transcript`, or one the tests make from cues with timed words.

Usage: page_driver.py CHROMIUM PAGE.html [TIMEOUT_SECONDS [AXE_MIN_JS]]

With AXE_MIN_JS (axe-core's axe.min.js) the page is also checked by axe-core,
which must find no violation of any impact. The checks of words run when the
page has words (.w); each prints its line either way.

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

    def space(self):
        self.call("Input.dispatchKeyEvent", type="rawKeyDown", key=" ", code="Space",
                  windowsVirtualKeyCode=32, nativeVirtualKeyCode=32)
        self.call("Input.dispatchKeyEvent", type="char", key=" ", code="Space", text=" ",
                  windowsVirtualKeyCode=32, nativeVirtualKeyCode=32)
        self.call("Input.dispatchKeyEvent", type="keyUp", key=" ", code="Space",
                  windowsVirtualKeyCode=32, nativeVirtualKeyCode=32)

    def click(self, selector, at_start=False):
        """A mouse click in the middle of the element, or (at_start) on its first character."""
        box = self.js(f"""(function(){{ var e = document.querySelector({json.dumps(selector)});
            e.scrollIntoView({{block: 'center'}}); var r = e.getClientRects()[0];
            return {json.dumps(at_start)} ? [r.left + 2, r.top + r.height / 2] : [r.left + r.width / 2, r.top + r.height / 2]; }})()""")
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)


# Which control has the focus, as a stable name: "a.skip", "audio", "a.download", "chapter:2", "cue:7", ...
ACTIVE = """(function () {
  var a = document.activeElement;
  if (!a || a === document.body || a === document.documentElement) return "body";
  if (a.classList.contains("skip")) return "a.skip";
  if (a.classList.contains("download-link")) return "a.download";
  if (a.tagName === "AUDIO") return "audio";
  if (a.classList.contains("cue"))
    return "cue:" + Array.prototype.indexOf.call(document.querySelectorAll(".transcript .cue"), a);
  if (a.tagName === "BUTTON" && a.closest(".chapters"))
    return "chapter:" + Array.prototype.indexOf.call(document.querySelectorAll(".chapters button"), a);
  return a.tagName.toLowerCase() + (a.id ? "#" + a.id : "") + (a.getAttribute("href") ? "[" + a.getAttribute("href") + "]" : "");
})()"""

# Logs every seek's target (window.__seeks), so a check can tell where playback was started from.
SEEK_LOG = """(function (a) { window.__seeks = [];
  a.addEventListener("seeking", function () { window.__seeks.push(a.currentTime); }); return true; })
  (document.getElementById("audio"))"""

# Where the audio is and whether it plays; the last seek; what is highlighted.
STATE = """(function (a) {
  var cues = document.querySelectorAll(".transcript .cue"), words = document.querySelectorAll(".transcript .w");
  var cue = document.querySelector(".transcript .cue.now"), word = document.querySelector(".transcript .w.now");
  var ch = document.querySelector(".chapters button[aria-current='true']");
  return { t: a.currentTime, paused: a.paused, seek: window.__seeks.length ? window.__seeks[window.__seeks.length - 1] : -1,
           cue: cue ? Array.prototype.indexOf.call(cues, cue) : -1,
           cues: document.querySelectorAll(".transcript .cue[aria-current='true']").length,
           word: word ? Array.prototype.indexOf.call(words, word) : -1,
           words: document.querySelectorAll(".transcript .w.now").length,
           chapter: ch ? Array.prototype.indexOf.call(document.querySelectorAll(".chapters button"), ch) : -1 };
})(document.getElementById("audio"))"""


def times(page, selector):
    return page.js(f"Array.prototype.map.call(document.querySelectorAll({json.dumps(selector)}), function (e) {{"
                   " return [parseFloat(e.getAttribute('data-start')), parseFloat(e.getAttribute('data-end'))]; })")


def pause(page, at=None):
    page.js("(function (a) { a.pause(); " + ("" if at is None else f"a.currentTime = {at}; ") +
            "return true; })(document.getElementById('audio'))")
    page.wait("document.getElementById('audio').paused && !document.getElementById('audio').seeking", 5)


def plays_from(page, start, name, extra=None):
    """After an action on a paused player: it plays, from `start` (the last seek), and time moves on."""
    moved = page.wait(f"(function (a) {{ return !a.paused && a.currentTime > {start} + 0.25; }})"
                      "(document.getElementById('audio'))", 10)
    state = page.js(STATE)
    ok = moved and not state["paused"] and abs(state["seek"] - start) <= 0.01 and start + 0.25 < state["t"] < start + 5
    if extra is not None:
        ok = ok and extra(state)
    report(ok, name, state)
    pause(page)
    return state


def axe(page, axe_js, name):
    page.js(open(axe_js, encoding="utf-8").read() + "; true")
    result = page.js("""axe.run(document, { resultTypes: ["violations"] }).then(function (r) {
        return r.violations.map(function (v) { return { id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.slice(0, 3).map(function (n) { return n.target.join(" ") + ": " + n.failureSummary; }) }; });
      }, function (e) { return [{ id: "axe-error", impact: "error", help: String(e), nodes: [] }]; })""")
    report(result == [], name, json.dumps(result, ensure_ascii=False))


def run(chromium, page_file, axe_js=None):
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
        page.js(SEEK_LOG)

        # The player loads the audio and the page shows its length.
        loaded = page.wait("(function(a){ return a.readyState >= 1 && isFinite(a.duration) && a.duration > 0; })"
                           "(document.getElementById('audio'))", 20)
        info = page.js("""(function () {
          var a = document.getElementById("audio"), d = document.getElementById("duration"), r = d.getBoundingClientRect();
          var s = Math.floor(a.duration), shown = d.textContent;
          var want = (s >= 3600 ? Math.floor(s / 3600) + ":" + String(Math.floor(s / 60) % 60).padStart(2, "0")
                                : String(Math.floor(s / 60))) + ":" + String(s % 60).padStart(2, "0");
          return { duration: a.duration, error: a.error ? a.error.code : 0, shown: shown, want: want,
                   visible: r.width > 0 && r.height > 0 && getComputedStyle(d).visibility === "visible",
                   lang: document.documentElement.lang, title: document.title,
                   h1: document.querySelector("h1").textContent };
        })()""")
        report(loaded and info["duration"] > 0, "audio.duration > 0", info)
        report(info["shown"] == info["want"] and info["visible"], "duration shown", info)
        report(info["lang"] == "id", "lang is id", info["lang"])
        print("info title: " + json.dumps({"title": info["title"], "h1": info["h1"]}, ensure_ascii=False), flush=True)

        # axe-core on the page as it loads: no violation of any impact.
        if axe_js:
            axe(page, axe_js, "axe-core finds no violations (page loaded)")

        # Each story is a section whose first heading is an h2 (screen readers jump story to story).
        stories = page.js("""Array.prototype.map.call(document.querySelectorAll(".transcript section.story"), function (s) {
            var h = s.querySelector("h2, h3"); return h ? h.tagName + ":" + h.textContent : "none"; })""")
        report(len(stories) >= 1 and all(h.startswith("H2:") for h in stories), "each story is a section under an h2",
               stories)

        # A mouse click on each chapter plays from its start, also when paused.
        chapters = [c[0] for c in times(page, ".chapters button")]
        report(len(chapters) >= 1, "chapters listed", chapters)
        for i in reversed(range(len(chapters))):
            pause(page)
            page.click(f".chapters li:nth-child({i + 1}) button")
            plays_from(page, chapters[i], f"chapter {i + 1} click plays from {chapters[i]:.3f}",
                       lambda st, i=i: st["chapter"] == i)
        # Enter on a focused chapter button plays from the chapter.
        if chapters:
            i = len(chapters) - 1
            pause(page, 0)
            page.js(f"document.querySelectorAll('.chapters button')[{i}].focus()")
            page.enter()
            plays_from(page, chapters[i], f"Enter on chapter {i + 1} plays from {chapters[i]:.3f}")
        # The chapter buttons' names start with what they show (axe: label-content-name-mismatch).
        names = page.js("""Array.prototype.map.call(document.querySelectorAll(".chapters button"), function (b) {
            return [b.getAttribute("aria-label"), b.innerText.replace(/\\s+/g, " ").trim(),
                    b.querySelector("span").textContent]; })""")
        report(names and all(n[0] is None and n[1].startswith(n[2]) for n in names),
               "chapter buttons are named by their visible text", names)

        # Enter, and Space, on a sentence while paused plays from the sentence.
        cues = times(page, ".transcript .cue")
        report(len(cues) >= 5, "transcript sentences listed", len(cues))
        if cues:
            k = max(1, len(cues) // 2 - 1)  # not a chapter start
            pause(page, 0)
            page.js(f"document.querySelectorAll('.transcript .cue')[{k}].focus()")
            page.enter()
            plays_from(page, cues[k][0], f"Enter on sentence {k + 1} while paused plays from {cues[k][0]:.3f}",
                       lambda st: st["cue"] == k and st["cues"] == 1)
            j = min(len(cues) - 1, k + 1)
            pause(page, 0)
            page.js(f"document.querySelectorAll('.transcript .cue')[{j}].focus()")
            page.space()
            plays_from(page, cues[j][0], f"Space on sentence {j + 1} while paused plays from {cues[j][0]:.3f}")
            pause(page, 0)
            page.click(".transcript .cue:nth-of-type(1)", at_start=True)  # on its first word, if it has words
            first = page.js("(function (e) { return parseFloat(e.getAttribute('data-start')); })"
                            "(document.querySelector('.transcript .cue:nth-of-type(1)'))")
            plays_from(page, first, "click on a sentence plays from it")

        # Playing: the sentence being heard is the one highlighted (timeupdate).
        if len(cues) >= 3:
            j = 2
            started = page.js(f"""(function (a) {{ a.currentTime = {cues[j][0]} + 0.05;
                return a.play().then(function () {{ return true; }}, function (e) {{ return String(e); }}); }})
                (document.getElementById('audio'))""")
            played = page.wait(f"document.getElementById('audio').currentTime > {cues[j][0]} + 0.6", 10)
            page.js("document.getElementById('audio').pause(); true")
            time.sleep(0.3)  # the page marks on its pause event
            state = page.js("""(function (a) { var t = a.currentTime, want = -1;
                var bs = document.querySelectorAll('.transcript .cue');
                for (var i = 0; i < bs.length; i++) if (parseFloat(bs[i].getAttribute('data-start')) <= t) want = i;
                var now = document.querySelector('.transcript [aria-current="true"]');
                return { t: t, want: want, now: now ? Array.prototype.indexOf.call(bs, now) : -1,
                         cls: now ? now.className : '' }; })(document.getElementById('audio'))""")
            report(started is True and played and state["now"] == state["want"] and "now" in state["cls"],
                   "while playing, the sentence heard is highlighted", {"play": started, **state})

        words = times(page, ".transcript .w")
        if not words:
            print("info no words on this page: the word checks do not apply", flush=True)
        else:
            # The highlighted word follows currentTime: seek into words, paused, and while playing.
            wrong = []
            for w in sorted(set([0, 1, len(words) // 3, len(words) // 2, len(words) - 1])):
                pause(page, (words[w][0] + words[w][1]) / 2)
                page.wait(f"document.querySelectorAll('.transcript .w')[{w}].classList.contains('now')", 3)
                st = page.js(STATE)
                if st["word"] != w or st["words"] != 1:
                    wrong.append({"want": w, **st})
            # Play through the longest sentence's first words.
            longest = max(range(len(cues)), key=lambda i: cues[i][1] - cues[i][0])
            started = page.js(f"""(function (a) {{ a.currentTime = {cues[longest][0]};
                return a.play().then(function () {{ return true; }}, function (e) {{ return String(e); }}); }})
                (document.getElementById('audio'))""")
            page.wait(f"document.getElementById('audio').currentTime > {cues[longest][0]} + 1.2", 10)
            # Expected: in the sentence heard, the last word begun.
            page.js("document.getElementById('audio').pause(); true")
            time.sleep(0.3)  # the page marks on its pause event
            st = page.js("""(function (a) { var t = a.currentTime, want = -1;
                var ws = document.querySelectorAll('.transcript .w');
                for (var i = 0; i < ws.length; i++) {
                  var c = ws[i].closest('.cue');
                  if (parseFloat(ws[i].getAttribute('data-start')) <= t && parseFloat(c.getAttribute('data-start')) <= t &&
                      t < parseFloat(c.getAttribute('data-end'))) want = i;
                }
                var now = document.querySelector('.transcript .w.now');
                return { t: t, want: want, now: now ? Array.prototype.indexOf.call(ws, now) : -1,
                         first: Array.prototype.indexOf.call(ws, document.querySelectorAll('.transcript .cue')[%d].querySelector('.w')) }; })
                (document.getElementById('audio'))""" % longest)
            if started is not True or st["now"] != st["want"] or st["want"] <= st["first"]:
                wrong.append({"playing": started, **st})
            report(not wrong, "the highlighted word follows currentTime", wrong or st)
            if axe_js:
                # Again with a sentence and a word highlighted and a word chosen: their colours count too.
                page.js(f"document.querySelectorAll('.transcript .cue')[0].focus(); true")
                page.key("ArrowRight", "ArrowRight", 39)
                axe(page, axe_js, "axe-core finds no violations (sentence and word highlighted)")

            # Arrow keys move from word to word inside the focused sentence; Enter plays from the word.
            target = page.js("""(function () { var cs = document.querySelectorAll('.transcript .cue');
                for (var i = 1; i < cs.length; i++) if (cs[i].querySelectorAll('.w').length >= 3) return i; return -1; })()""")
            if target < 0:
                report(False, "a sentence with 3 words or more", target)
            else:
                ws = page.js(f"""Array.prototype.map.call(document.querySelectorAll('.transcript .cue')[{target}]
                    .querySelectorAll('.w'), function (w) {{ return [parseFloat(w.getAttribute('data-start')), w.textContent]; }})""")
                pause(page, 0)
                page.js(f"document.querySelectorAll('.transcript .cue')[{target}].focus(); true")
                for _ in range(3):
                    page.key("ArrowRight", "ArrowRight", 39)
                page.key("ArrowLeft", "ArrowLeft", 37)
                st = page.js("""({ cursor: (document.querySelector('.w.cursor') || {}).textContent,
                    focus: document.activeElement.classList.contains('cue'),
                    status: document.getElementById('word-status').textContent })""")
                report(st["cursor"] == ws[1][1] and st["status"] == ws[1][1] and st["focus"],
                       "arrow keys move from word to word and announce it", {"want": ws[1][1], **st})
                page.enter()
                plays_from(page, ws[1][0], f"Enter on word 2 of sentence {target + 1} plays from {ws[1][0]:.3f}")
                # End, then Right: on to the next sentence's first word, with the focus.
                page.js(f"document.querySelectorAll('.transcript .cue')[{target}].focus(); true")
                page.key("End", "End", 35)
                page.key("ArrowRight", "ArrowRight", 39)
                st = page.js("""({ active: document.activeElement.classList.contains('cue') ?
                    Array.prototype.indexOf.call(document.querySelectorAll('.transcript .cue'), document.activeElement) : -1,
                    first: (function (w) { return !!w && w === document.activeElement.querySelector('.w'); })(document.querySelector('.w.cursor')) })""")
                nxt = page.js(f"""(function () {{ var cs = document.querySelectorAll('.transcript .cue');
                    for (var i = {target} + 1; i < cs.length; i++) if (cs[i].querySelector('.w')) return i; return -1; }})()""")
                report(st["active"] == nxt and st["first"], "Right after the last word goes on to the next sentence",
                       {"want": nxt, **st})
                # A click on a word plays from that word.
                pause(page, 0)
                page.click(f".transcript .w:nth-child(3)")
                clicked = page.js("(function (w) { return [parseFloat(w.getAttribute('data-start')), w.textContent]; })"
                                  "(document.querySelector('.transcript .w:nth-child(3)'))")
                plays_from(page, clicked[0], f"click on the word {clicked[1]!r} plays from {clicked[0]:.3f}")

        # Reduced motion: no transitions (and the script scrolls without smoothing).
        page.call("Emulation.setEmulatedMedia", features=[{"name": "prefers-reduced-motion", "value": "reduce"}])
        motion = page.js("""(function () { var c = document.querySelector('.transcript .cue');
            var w = document.querySelector('.transcript .w') || c;
            return [getComputedStyle(c).transitionDuration, getComputedStyle(w).transitionDuration,
                    matchMedia('(prefers-reduced-motion: reduce)').matches]; })()""")
        report(motion[2] and all(d in ("0s", "") for d in motion[:2]), "reduced motion: no transitions", motion)
        page.call("Emulation.setEmulatedMedia", features=[])

        # Tab from the top reaches every control, in order, each with a visible focus outline;
        # the download link is among the first few.
        page.call("Page.reload", ignoreCache=True)
        page.wait("document.readyState === 'complete' && !!document.getElementById('audio')", 15)
        page.js("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); true")
        expected = ["a.skip", "audio", "a.download"] + [f"chapter:{i}" for i in range(len(chapters))] + \
                   [f"cue:{i}" for i in range(len(cues))]
        reached, unstyled = [], []
        for _ in range(len(expected) + 40):
            page.key("Tab", "Tab", 9)
            name = page.js(ACTIVE)
            if name.startswith(("chapter:", "cue:", "a.")):
                outline = page.js("(function (s) { return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; })"
                                  "(getComputedStyle(document.activeElement))")
                if not outline:
                    unstyled.append(name)
            if len(reached) > 1 and name == "a.skip":
                break  # wrapped around
            if not reached or reached[-1] != name:
                reached.append(name)
            if cues and name == f"cue:{len(cues) - 1}":
                page.key("Tab", "Tab", 9)  # one more: nothing focusable may follow but the browser's own
                after = page.js(ACTIVE)
                if after not in ("body", "a.skip", name):
                    reached.append(after)
                break
        in_order = [n for n in reached if n in expected]
        missing = [n for n in expected if n not in reached]
        stops = [n for n in reached]
        report(not missing, "Tab reaches every control", {"missing": missing, "reached": reached})
        report(in_order == expected and len(stops) == len(expected),
               "Tab order is skip link, player, download, chapters, sentences (one stop each)",
               {"order": in_order[:8], "stops": len(stops), "expected": len(expected)})
        report("a.download" in reached and reached.index("a.download") <= 3,
               "the download link is within the first tab stops", reached[:5])
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
        print("usage: page_driver.py CHROMIUM PAGE.html [TIMEOUT_SECONDS [AXE_MIN_JS]]", file=sys.stderr)
        return 2
    timeout = int(sys.argv[3]) if len(sys.argv) > 3 else 90

    def expired(*_):
        raise TimeoutError(f"the browser check took more than {timeout} s")

    signal.signal(signal.SIGALRM, expired)
    signal.alarm(timeout)
    try:
        run(sys.argv[1], sys.argv[2], sys.argv[4] if len(sys.argv) > 4 else None)
    except Exception as e:  # noqa: BLE001 - every failure is one reported line
        report(False, "driver", f"{type(e).__name__}: {e}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
