import threading
threading.RLock().release()
