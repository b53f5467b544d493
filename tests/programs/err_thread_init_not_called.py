from threading import Thread
class T(Thread):
    def __init__(self):
        self.x = 1
T().start()
