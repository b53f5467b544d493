# An unknown keyword argument to Process().
from multiprocessing import Process

if __name__ == "__main__":
    Process(taget=print)
