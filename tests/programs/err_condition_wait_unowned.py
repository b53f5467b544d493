import threading
threading.Condition().wait()
