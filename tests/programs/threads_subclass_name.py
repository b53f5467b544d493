from threading import Thread


class Named(Thread):
    def __init__(self, tag):
        Thread.__init__(self, name="job-" + tag)
        self.tag = tag

    def run(self):
        self.done = True


t = Named("a")
print(t.name, t.is_alive())
t.start()
t.join()
print(t.done, t.is_alive())
