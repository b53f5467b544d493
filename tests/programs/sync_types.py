# The classes' names and isinstance, as programs see them.
import threading, queue
print(type(threading.RLock()).__name__, type(threading.Condition()).__name__,
      type(threading.Event()).__name__, type(threading.Semaphore()).__name__,
      type(threading.BoundedSemaphore()).__name__, type(threading.Barrier(1)).__name__)
print(isinstance(threading.BoundedSemaphore(), threading.Semaphore),
      isinstance(threading.Event(), threading.Event))
print(type(queue.Queue()).__name__, type(queue.LifoQueue()).__name__,
      type(queue.PriorityQueue()).__name__, type(queue.SimpleQueue()).__name__)
print(isinstance(queue.LifoQueue(), queue.Queue), issubclass(queue.PriorityQueue, queue.Queue))
print(issubclass(threading.BrokenBarrierError, RuntimeError), threading.Barrier(1).wait())
