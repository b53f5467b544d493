import queue
q = queue.Queue(1)
q.put(0)
q.put(1, timeout=0.01)
