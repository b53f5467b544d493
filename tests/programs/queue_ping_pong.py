# Two threads bounce a counter through two queues.
import queue, threading
ping = queue.Queue()
pong = queue.Queue()
def player():
    while True:
        n = ping.get()
        if n < 0:
            return
        pong.put(n + 1)
t = threading.Thread(target=player)
t.start()
n = 0
for _ in range(200):
    ping.put(n)
    n = pong.get()
ping.put(-1)
t.join()
print(n)
