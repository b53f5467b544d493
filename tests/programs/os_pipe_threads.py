# Checks a pipe between threads: a writer thread feeds a reader that blocks in os.read (GIL released).
import os
import threading
import time
r, w = os.pipe()
def writer(chunks):
    for c in chunks:
        time.sleep(0.01)
        os.write(w, c)
    os.close(w)
chunks = [b"one ", b"two ", b"three ", b"four"]
t = threading.Thread(target=writer, args=(chunks,), name="writer")
t.start()
got = b""
while True:
    data = os.read(r, 3)
    if data == b"":
        break
    got = got + data
t.join()
os.close(r)
print(got)
print(got.decode().split())
r1, w1 = os.pipe()
r2, w2 = os.pipe()
def echo(n):
    for i in range(n):
        msg = os.read(r1, 1)
        os.write(w2, msg + msg)
e = threading.Thread(target=echo, args=(5,))
e.start()
replies = []
for ch in [b"a", b"b", b"c", b"d", b"e"]:
    os.write(w1, ch)
    replies.append(os.read(r2, 2))
e.join()
print(replies)
os.close(r1)
os.close(w1)
os.close(r2)
os.close(w2)
