# Checks from M import a, b forms for the built-in modules, and that the names are the same functions.
from time import time, sleep, perf_counter, monotonic
from threading import Thread, current_thread, active_count, get_ident
from os import getpid, cpu_count, pipe, read, write, close
from sys import argv, version, exit
import os
print(time() > 0, perf_counter() >= 0, monotonic() >= 0)
sleep(0.001)
print(current_thread().name, active_count(), get_ident() > 0)
print(getpid() == os.getpid(), cpu_count() >= 1)
r, w = pipe()
print(write(w, b"from import"))
close(w)
print(read(r, 100))
close(r)
print(len(argv), len(version) > 0)
def work(out):
    out.append("ran")
res = []
th = Thread(target=work, args=(res,))
th.start()
th.join()
print(res)
exit(0)
