# io_trio: ccbench's three I/O tests, each one I/O thread beside n CPU-bound threads (burn).
#
#   latency    echo(rfd, wfd) answers messages a native client sends at a fixed interval,
#              stamped with their send time; the client measures each round trip.
#   bandwidth  the same echo, the client sending the next message as soon as the answer arrives.
#   convoy     writer(wfd, ms) makes many short os.write calls that never block but still release
#              the GIL (a native thread drains the pipe): every call gives the GIL away, and under
#              an interval GIL getting it back behind a CPU-bound thread takes a whole interval.
#
# The native side is gilbench's (harness/native_side.cc) or scripts/cpython-bench's (a forked
# process, holding no GIL); this file holds only what runs inside the interpreter.
import os
import time

MESSAGE_SIZE = 16  # the client's messages: b"M" or, for the last one, b"Q", then 15 bytes
LAST_MESSAGE = 81  # ord("Q")


# The classic CPU-bound loop (countdown.py's).
def countdown(n):
    while n > 0:
        n -= 1
    return n


# A CPU-bound thread: countdown in slices of 10,000 until ms milliseconds have passed. Returns
# what the countdowns left (0), so that a wrong countdown shows in gilbench's checksum.
def burn(ms):
    end = time.perf_counter() + ms / 1000
    left = 0
    while time.perf_counter() < end:
        left += countdown(10000)
    return left


# Echoes messages from rfd to wfd until the client's last message (or EOF); returns how many.
def echo(rfd, wfd):
    answered = 0
    while True:
        message = os.read(rfd, MESSAGE_SIZE)
        if len(message) == 0:
            return answered
        os.write(wfd, message)
        answered += 1
        if message[0] == LAST_MESSAGE:
            return answered


# Writes one byte at a time to wfd for ms milliseconds; returns the number of writes.
def writer(wfd, ms):
    end = time.perf_counter() + ms / 1000
    writes = 0
    while time.perf_counter() < end:
        os.write(wfd, b"x")
        writes += 1
    return writes
