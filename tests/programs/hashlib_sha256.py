# hashlib.sha256: digest and hexdigest of small and large buffers, in threads too.
import hashlib
import threading
from hashlib import sha256

h = hashlib.sha256(b"abc")
print(h.hexdigest())
print(h.digest()[:4], len(h.digest()))
print(hashlib.sha256(b"").hexdigest())
print(hashlib.sha256().hexdigest())
big = b"x" * 100000
print(hashlib.sha256(big).hexdigest())
print(sha256(b"gil" * 1000).digest().hex()[:16])

# Buffers over 2 KiB are hashed with the GIL released; each thread writes its own slot.
digests = ["", "", "", ""]


def work(k):
    data = str(k).encode() * 50000
    for i in range(3):
        d = sha256(data).hexdigest()
    digests[k] = d


threads = []
for k in range(4):
    threads.append(threading.Thread(target=work, args=(k,)))
for t in threads:
    t.start()
for t in threads:
    t.join()
for d in digests:
    print(d[:12])
