from concurrent.futures import ProcessPoolExecutor


def divisor_sum(number):
    total = 0
    for i in range(1, number + 1):
        if number % i == 0:
            total += i
    return total


if __name__ == "__main__":
    with ProcessPoolExecutor(2) as ex:
        print(list(ex.map(divisor_sum, [12, 28, 496, 1000, 9973])))
        print(list(ex.map(divisor_sum, range(1, 20), chunksize=4)))
