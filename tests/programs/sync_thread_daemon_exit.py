# A daemon thread blocked forever does not keep the program from ending.
import threading
never = threading.Event()
def stuck():
    never.wait()
d = threading.Thread(target=stuck, daemon=True)
d.start()
print("main ends", d.is_alive(), d.daemon)
