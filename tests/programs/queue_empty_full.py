# queue.Empty and queue.Full: raised by the non-blocking and timed calls, catchable.
import queue
q = queue.Queue(1)
try:
    q.get_nowait()
except queue.Empty as e:
    print("Empty", repr(e), isinstance(e, Exception))
try:
    q.get(timeout=0.01)
except queue.Empty:
    print("Empty after timeout")
try:
    q.get(False)
except queue.Empty:
    print("Empty non-blocking")
q.put(1)
try:
    q.put_nowait(2)
except queue.Full as e:
    print("Full", repr(e))
try:
    q.put(2, timeout=0.01)
except queue.Full:
    print("Full after timeout")
try:
    q.put(2, block=False)
except queue.Full:
    print("Full non-blocking")
print(queue.Empty.__name__, queue.Full.__name__, issubclass(queue.Full, Exception))
