import queue
q = queue.Queue()
q.put(1)
q.get()
q.task_done()
q.task_done()
