#!/usr/bin/env python3
"""A scripted Bolt 5.4 server, for the faults a real Neo4j will not produce.

    python3 test/bolt_stub.py FAULT PORTFILE

Listens on a free loopback port (written to PORTFILE), answers the
handshake, HELLO, LOGON, BEGIN, the schema queries, RUN and PULL like an
empty-schema Neo4j serving two nodes, then, in the middle of the node
stream, does FAULT:

    drop        closes the connection
    failure     answers FAILURE
    bad-chunk   sends a chunk cut short, then closes
    oversized   sends a list that claims more items than the message holds
    deep        sends a record nested deeper than the client accepts
    unknown-tag sends a record holding a structure of an unknown tag
    late-drop   sends 2,500 nodes (more than the client reads ahead), then
                closes the connection
    late-tag    sends 2,500 nodes, then a record of an unknown tag
    none        no fault: the stream ends normally (a control)

Every connection is served in a thread; the stub exits after 60 s.
Standard library only; the PackStream it writes is the little it needs.
"""
import os
import socket
import struct
import sys
import threading


class Struct:
    def __init__(self, tag, *fields):
        self.tag, self.fields = tag, fields


def pack(v):
    if v is None:
        return b"\xC0"
    if v is True:
        return b"\xC3"
    if v is False:
        return b"\xC2"
    if isinstance(v, int):
        if -16 <= v < 128:
            return struct.pack(">b", v)
        return b"\xCB" + struct.pack(">q", v)
    if isinstance(v, str):
        b = v.encode()
        return (bytes([0x80 | len(b)]) if len(b) < 16 else b"\xD0" + bytes([len(b)])) + b
    if isinstance(v, list):
        return bytes([0x90 | len(v)]) + b"".join(pack(x) for x in v)
    if isinstance(v, dict):
        return bytes([0xA0 | len(v)]) + b"".join(pack(k) + pack(x) for k, x in v.items())
    if isinstance(v, Struct):
        return bytes([0xB0 | len(v.fields), v.tag]) + b"".join(pack(x) for x in v.fields)
    raise TypeError(v)


def message(tag, *fields):
    body = bytes([0xB0 | len(fields), tag]) + b"".join(pack(f) for f in fields)
    return struct.pack(">H", len(body)) + body + b"\x00\x00"


SUCCESS, RECORD, FAILURE = 0x70, 0x71, 0x7F


def read_message(conn):
    data = b""
    while True:
        head = conn.recv(2, socket.MSG_WAITALL)
        if len(head) < 2:
            return None
        size = struct.unpack(">H", head)[0]
        if size == 0:
            if data:
                return data
            continue
        data += conn.recv(size, socket.MSG_WAITALL)


def node(i):
    # MATCH (n) RETURN n: a Node structure, with its element id (Bolt 5)
    return message(RECORD, [Struct(0x4E, i, ["Stub"], {"k": i}, "4:stub:%d" % i)])


def hang_up(conn):
    """Close after everything sent is delivered.  The client queues its next
    query's RUN and PULL behind the nodes', and a socket closed with them
    unread would reset the connection, which throws away what the client
    has not read yet: the stream would seem to end earlier than it does."""
    conn.shutdown(socket.SHUT_WR)
    conn.settimeout(10)
    try:
        while conn.recv(65536):
            pass
    except OSError:
        pass
    conn.close()


def serve(conn, fault):
    conn.recv(20, socket.MSG_WAITALL)
    conn.sendall(b"\x00\x00\x04\x05")
    streaming = None
    failed = False
    while True:
        m = read_message(conn)
        if m is None:
            return
        tag = m[1]
        if failed and tag != 0x0F:  # after a FAILURE, until RESET
            conn.sendall(message(0x7E))
            continue
        failed = False
        if tag == 0x10:  # RUN: remember which query
            streaming = b"MATCH (n)" in m and "nodes" or (b"SHOW" in m and "schema") or "other"
            conn.sendall(message(SUCCESS, {"fields": []}))
        elif tag == 0x3F and streaming == "nodes":  # PULL of the nodes
            if fault.startswith("late-"):
                conn.sendall(b"".join(node(i) for i in range(1, 2501)))
                if fault == "late-drop":
                    hang_up(conn)
                    return
                conn.sendall(struct.pack(">H", 6) + b"\xB1\x71\x91\xB1\x5A\x01" + b"\x00\x00")
                continue
            conn.sendall(node(1))
            if fault == "none":
                conn.sendall(node(2) + message(SUCCESS, {}))
            elif fault == "drop":
                hang_up(conn)
                return
            elif fault == "failure":
                conn.sendall(message(FAILURE, {"code": "Neo.DatabaseError.General.UnknownError",
                                               "message": "the stub failed on purpose"}))
                streaming = None
                failed = True
            elif fault == "bad-chunk":
                conn.sendall(b"\x00\x10\xB1\x71\x91")
                hang_up(conn)
                return
            elif fault == "oversized":
                # a list that claims 2^31-1 items in a message of a few bytes
                body = b"\xB1\x71\x91\xD6\x7F\xFF\xFF\xFF\x01"
                conn.sendall(struct.pack(">H", len(body)) + body + b"\x00\x00")
            elif fault == "deep":
                body = b"\xB1\x71" + b"\x91" * 200 + b"\x01"
                conn.sendall(struct.pack(">H", len(body)) + body + b"\x00\x00")
            elif fault == "unknown-tag":
                body = b"\xB1\x71\x91\xB1\x5A\x01"
                conn.sendall(struct.pack(">H", len(body)) + body + b"\x00\x00")
        elif tag == 0x3F:  # PULL of anything else: empty
            conn.sendall(message(SUCCESS, {}))
        elif tag == 0x02:  # GOODBYE
            return
        elif tag == 0x12:  # COMMIT: its SUCCESS carries the bookmark
            conn.sendall(message(SUCCESS, {"bookmark": "stub:1"}))
        else:  # HELLO, LOGON, BEGIN, ROLLBACK, RESET
            conn.sendall(message(SUCCESS, {"server": "Neo4j/5.26.0-stub"} if tag == 0x01 else {}))


def main():
    fault, portfile = sys.argv[1], sys.argv[2]
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(srv.getsockname()[1]))
    os.rename(portfile + ".tmp", portfile)
    srv.settimeout(60)
    try:
        while True:
            conn, _ = srv.accept()
            threading.Thread(target=lambda c=conn: _safe(c, fault), daemon=True).start()
    except socket.timeout:
        pass


def _safe(conn, fault):
    try:
        serve(conn, fault)
    except OSError:
        pass
    finally:
        conn.close()


if __name__ == "__main__":
    main()
