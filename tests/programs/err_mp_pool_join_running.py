# join() on a running pool.
from multiprocessing import Pool

if __name__ == "__main__":
    pool = Pool(1)
    pool.join()
