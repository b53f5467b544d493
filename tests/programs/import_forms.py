# Checks import M, import M as X for every built-in module, and attribute access through them.
import time
import threading
import os
import sys
import time as t
import threading as th
import os as operating
import sys as system
print(time.time() > 0, t.time() > 0)
print(threading.current_thread().name, th.current_thread().name)
print(os.getpid() == operating.getpid())
print(sys.version == system.version)
print(len(sys.argv), len(system.argv))
print(threading.active_count(), th.active_count())
import time
print(time.monotonic() > 0)
