# Checks a BrokenPipeError from os.write in a thread ends only that thread ("Exception in thread"),
# and the main thread goes on to exit 0.
import os
import threading


def writer(fd):
    os.write(fd, b"nobody reads this")


r, w = os.pipe()
os.close(r)
t = threading.Thread(target=writer, args=(w,))
t.start()
t.join()
print("main thread goes on")
