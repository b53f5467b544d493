# Joining a process that was never started is an AssertionError.
from multiprocessing import Process

if __name__ == "__main__":
    Process().join()
