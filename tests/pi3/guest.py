#!/usr/bin/env python3
"""guest.py: runs one shell command on the emulated Pi 3 over its system console (tests/pi3/run.sh).

    guest.py SOCKET TIMEOUT_S COMMAND    prints the command's output, exits with its status
    guest.py SOCKET TIMEOUT_S --wait     waits until the root shell answers, exits 0
    guest.py SOCKET 0 --stream COMMAND   prints COMMAND's output as it comes until killed
                                         (a `tail -F` while the host flashes)

SOCKET is QEMU's `-serial unix:SOCKET,server=on,wait=off`: the mini UART /dev/ttyS1, the
kernel's console, where serial-getty logs root in by itself (the image's autologin drop-in).
One client at a time: QEMU drops what the guest writes while none is connected, and the root
shell stays logged in between connections.

The command's output is framed by two marker lines the shell prints; the markers are written
split in two in the typed text, so the terminal's echo of the command never matches them.
Exit status 124 when the shell did not answer within TIMEOUT_S, 125 when the socket could not
be reached (QEMU not running).
"""
import os
import re
import socket
import sys
import time


def connect(path, deadline):
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            return s
        except OSError as e:
            s.close()
            if time.monotonic() > deadline:
                print(f"guest.py: cannot connect to {path}: {e}", file=sys.stderr)
                sys.exit(125)
            time.sleep(0.5)


def run(sock, command, deadline, resend_s=None):
    """Types COMMAND framed by markers; returns (status, output). resend_s: type it again
    every so many seconds until the markers come (the shell may not be there yet)."""
    token = os.urandom(4).hex()
    begin, end = f"@@B{token}@@", f"@@E{token}@@"
    # stty -echo and an empty prompt keep the answer clean; 2>&1 so errors are seen.
    line = (f"stty -echo 2>/dev/null; PS1=; export SYSTEMD_COLORS=0 SYSTEMD_PAGER=cat; printf '%s%s\\n' '@@B' '{token}@@'; "
            f"( {command} ) 2>&1 </dev/null; printf '%s%s %s\\n' '@@E' '{token}@@' \"$?\"\r")
    sent_at = 0.0
    buf = b""
    pattern = re.compile(re.escape(begin) + r"\r?\n(.*?)" + re.escape(end) + r" (\d+)\r?\n", re.S)
    while True:
        now = time.monotonic()
        if sent_at == 0.0 or (resend_s and now - sent_at > resend_s):
            # ^C first: it ends a command a --stream left running (tail -F) and clears a
            # half-typed line; the pause lets the line discipline flush before the command.
            # Until the guest's UART driver reads, QEMU reads nothing from the socket, so a
            # send may wait: as long as the deadline allows (a 1 s recv timeout is not the send's).
            try:
                sock.settimeout(max(0.1, deadline - now))
                sock.sendall(b"\x03")
                time.sleep(0.5)
                sock.sendall(b"\r" + line.encode())
            except socket.timeout:
                return no_answer(buf, "the guest did not take typed input (its UART was never read)")
            sent_at = now
        if now > deadline:
            return no_answer(buf, "no answer within the time")
        sock.settimeout(max(0.1, min(1.0, deadline - now)))
        try:
            data = sock.recv(65536)
        except socket.timeout:
            continue
        if not data:
            print("guest.py: the console closed (QEMU ended?)", file=sys.stderr)
            return 125, ""
        buf += data
        m = pattern.search(buf.decode(errors="replace"))
        if m:
            return int(m.group(2)), m.group(1).replace("\r\n", "\n")


def no_answer(buf, why):
    """Says why, with the last of what the guest wrote; the status for no answer."""
    tail = buf[-2000:].decode(errors="replace")
    print(f"guest.py: {why}; last output:\n{tail}", file=sys.stderr)
    return 124, ""


def stream(sock, command):
    """Types COMMAND after a marker and copies everything after the marker to stdout, line by
    line, until the console closes or this process is killed."""
    token = os.urandom(4).hex()
    begin = f"@@B{token}@@"
    sock.sendall(f"\rstty -echo 2>/dev/null; PS1=; printf '%s%s\\n' '@@B' '{token}@@'; {command}\r".encode())
    buf = b""
    started = False
    while True:
        data = sock.recv(65536)
        if not data:
            sys.exit(0)
        if started:
            sys.stdout.write(data.decode(errors="replace").replace("\r\n", "\n"))
            sys.stdout.flush()
            continue
        buf += data
        text = buf.decode(errors="replace")
        i = text.find(begin)
        if i >= 0:
            started = True
            sys.stdout.write(text[i + len(begin):].lstrip("\r\n").replace("\r\n", "\n"))
            sys.stdout.flush()


def main():
    if len(sys.argv) != 4 and not (len(sys.argv) == 5 and sys.argv[3] == "--stream"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    path, timeout_s, command = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    deadline = time.monotonic() + timeout_s
    sock = connect(path, deadline)
    try:
        if command == "--wait":
            status, out = run(sock, "dmesg -n 1; true", deadline, resend_s=10)
            sys.exit(0 if status == 0 else status)
        if command == "--stream":
            stream(sock, sys.argv[4] if len(sys.argv) > 4 else "")
        status, out = run(sock, command, deadline)
        sys.stdout.write(out)
        sys.exit(status)
    finally:
        sock.close()


if __name__ == "__main__":
    main()
