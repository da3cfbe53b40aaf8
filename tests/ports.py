"""Loopback ports for servers the tests and benchmarks start."""

import socket


def free_port() -> int:
    """A loopback port no other process is handed for a minute, for a server started next.

    A connection to it is accepted and closed from the server side, leaving the port in
    TIME_WAIT: the kernel gives it to no ``bind`` to port 0 (so concurrent tests and runs
    cannot draw the same number), while servers that set SO_REUSEADDR, as Prism (Node),
    gunicorn, nginx and Redis all do, can still listen on it.
    """
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        address = listener.getsockname()
        with socket.create_connection(address):
            accepted, _ = listener.accept()
            accepted.close()
    return address[1]
