from concurrent.futures import ProcessPoolExecutor

if __name__ == "__main__":
    ex = ProcessPoolExecutor(1)
    ex.shutdown()
    ex.submit(abs, 1)
