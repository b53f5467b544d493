# shuffle's backward loop and choice, for several seeds and sequence kinds.
import random
for seed in [1, 2, 3, 100, 2 ** 33]:
    random.seed(seed)
    xs = list(range(25))
    random.shuffle(xs)
    print(seed, xs)
    ys = list("abcdefg")
    random.shuffle(ys)
    random.shuffle(ys)
    print(ys)
    picks = []
    for i in range(15):
        picks.append(random.choice("xyz"))
        picks.append(random.choice([10, 20, 30, 40]))
        picks.append(random.choice((True, None)))
        picks.append(random.choice(range(100, 200, 3)))
    print(picks)
empty = []
random.shuffle(empty)
one = [1]
random.shuffle(one)
print(empty, one)
