from threading import Thread


class Worker(Thread):
    def __init__(self, n):
        super().__init__()
        self.n = n
        self.result = None

    def run(self):
        total = 0
        for i in range(self.n):
            total += i
        self.result = total


ws = []
for n in [10, 100, 1000]:
    ws.append(Worker(n))
for w in ws:
    w.start()
for w in ws:
    w.join()
print(ws[0].result, ws[1].result, ws[2].result)
