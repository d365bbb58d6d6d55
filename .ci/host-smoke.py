#!/usr/bin/env python3
"""Smoke test of a qapigen-host binary (the native one in CI): it must greet, run a command,
take an fd passed with SCM_RIGHTS (add-fd, seen again in query-fdsets), and quit cleanly
(exit 0, socket file removed). Usage: host-smoke.py PATH-TO-qapigen-host"""
import json, os, shutil, socket, subprocess, sys, tempfile, time

TIMEOUT = 60  # seconds; generous for a loaded machine

def fail(msg):
    print(f"host smoke test: FAILED: {msg}", file=sys.stderr)
    sys.exit(1)

def main():
    binary = sys.argv[1]
    work = tempfile.mkdtemp(prefix="qapigen-smoke-")
    path = os.path.join(work, "qmp.sock")
    host = subprocess.Popen([binary, "-qmp", f"unix:{path},server=on,wait=off"])
    try:
        deadline = time.monotonic() + TIMEOUT
        while not os.path.exists(path):
            if host.poll() is not None:
                fail(f"exited with {host.returncode} before listening")
            if time.monotonic() > deadline:
                fail("no socket")
            time.sleep(0.01)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(TIMEOUT)
        sock.connect(path)
        reader = sock.makefile("rb")

        def receive():
            # Events may come between replies: skip them.
            while True:
                line = reader.readline()
                if not line:
                    fail("connection closed")
                message = json.loads(line)
                if "event" not in message:
                    return message

        def execute(command, arguments=None, fds=()):
            request = {"execute": command}
            if arguments is not None:
                request["arguments"] = arguments
            data = json.dumps(request).encode() + b"\n"
            if fds:
                socket.send_fds(sock, [data], list(fds))
            else:
                sock.sendall(data)
            reply = receive()
            if "return" not in reply:
                fail(f"{command}: {reply}")
            return reply["return"]

        greeting = receive()
        if "QMP" not in greeting or "version" not in greeting["QMP"]:
            fail(f"greeting: {greeting}")
        execute("qmp_capabilities")
        status = execute("query-status")
        if "status" not in status:
            fail(f"query-status: {status}")

        with open(os.path.join(work, "passed"), "w") as passed:
            added = execute("add-fd", {"opaque": "smoke"}, fds=[passed.fileno()])
        fdsets = execute("query-fdsets")
        fds = [fd for s in fdsets if s["fdset-id"] == added["fdset-id"] for fd in s["fds"]]
        if [(fd["fd"], fd.get("opaque")) for fd in fds] != [(added["fd"], "smoke")]:
            fail(f"query-fdsets after add-fd {added}: {fdsets}")
        # The number the host reports must be its own copy of the file that was sent.
        target = os.readlink(f"/proc/{host.pid}/fd/{added['fd']}")
        if target != os.path.join(work, "passed"):
            fail(f"fd {added['fd']} of the host is {target}")

        execute("quit")
        try:
            code = host.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            fail("still running after quit")
        if code != 0:
            fail(f"exit status {code} after quit")
        if os.path.exists(path):
            fail("socket file left behind")
        print(f"host smoke test: greeting {greeting['QMP']['version']['qemu']}, query-status "
              f"{status['status']}, add-fd fd {added['fd']} in fdset {added['fdset-id']}, quit: ok")
    finally:
        if host.poll() is None:
            host.kill()
            host.wait()
        shutil.rmtree(work, ignore_errors=True)

main()
