from concurrent.futures import ThreadPoolExecutor

NUMBERS = [2139079 // 50, 1214759 // 50, 1516637 // 50, 1582285 // 50]


def divisor_sum(number):
    total = 0
    for i in range(1, number + 1):
        if number % i == 0:
            total += i
    return total


with ThreadPoolExecutor(max_workers=2) as ex:
    print(sum(ex.map(divisor_sum, NUMBERS)))
print(sum(divisor_sum(n) for n in NUMBERS))
