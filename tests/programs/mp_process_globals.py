# The child is a fork: it sees the parent's globals as they were, and its changes stay its own.
from multiprocessing import Process

counter = [0]


def bump():
    counter[0] += 10
    print("child sees", counter[0])


if __name__ == "__main__":
    counter[0] = 5
    p = Process(target=bump)
    p.start()
    p.join()
    print("parent keeps", counter[0])
