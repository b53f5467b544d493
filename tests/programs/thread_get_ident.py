# Checks threading.get_ident(): positive, stable within a thread, different between live threads.
import threading
import os
main_id = threading.get_ident()
print(main_id > 0, main_id == threading.get_ident())
ids = [0, 0, 0]
stable = [False, False, False]
r, w = os.pipe()
ready_r, ready_w = os.pipe()
def work(slot):
    a = threading.get_ident()
    ids[slot] = a
    os.write(ready_w, b"+")
    os.read(r, 1)
    stable[slot] = a == threading.get_ident()
threads = []
for i in range(3):
    t = threading.Thread(target=work, args=(i,))
    threads.append(t)
    t.start()
got = 0
while got < 3:
    got += len(os.read(ready_r, 3))
os.write(w, b"go!")
for t in threads:
    t.join()
os.close(r)
os.close(w)
os.close(ready_r)
os.close(ready_w)
print(stable)
print(ids[0] != ids[1], ids[1] != ids[2], ids[0] != ids[2])
print(main_id != ids[0], main_id != ids[1], main_id != ids[2])
print(threading.get_ident() == main_id)
