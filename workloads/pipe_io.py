# pipe_io: threads relaying messages between pipes. A native thread outside the interpreter
# feeds each relay's input pipe at a steady pace (a device producing data) and drains its output
# pipe; os.read and os.write release the GIL around the system call, so while one relay waits for
# its device the others run: n relays with n devices finish about n times sooner than one relay
# serving them all in turn.
#
# The native side is gilbench's (harness/native_side.cc) or scripts/cpython-bench's (a forked
# process); this file holds only what runs inside the interpreter, under python3 and gilvm alike.
import os


# Relays count messages of size bytes from rfd to wfd; returns the bytes relayed (count * size
# unless the feeder hung up early).
def relay(rfd, wfd, count, size):
    total = 0
    want = count * size
    while total < want:
        chunk = os.read(rfd, size)
        if len(chunk) == 0:
            return total
        os.write(wfd, chunk)
        total += len(chunk)
    return total
