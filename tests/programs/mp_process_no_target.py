# multiprocessing.Process without a target: run() does nothing, and the child exits 0.
from multiprocessing import Process

if __name__ == "__main__":
    p = Process()
    p.start()
    p.join()
    print(p.exitcode)
