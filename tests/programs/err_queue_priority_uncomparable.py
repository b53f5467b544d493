import queue
q = queue.PriorityQueue()
q.put(1)
q.put("a")
