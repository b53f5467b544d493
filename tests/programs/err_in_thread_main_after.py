# Checks an error in the main thread after worker threads finished still exits 1 with the right message.
import threading
out = [0, 0]
def work(i):
    out[i] = i + 1
ts = [threading.Thread(target=work, args=(0,)), threading.Thread(target=work, args=(1,))]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(out)
print(out[2])
