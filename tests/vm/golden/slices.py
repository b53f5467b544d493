# Slices: a two-bound slice keeps SLICE; a step, slice assignment, deletion and augmented
# assignment build a slice object (BUILD_SLICE) for the *_SUBSCR opcodes.
def rotate(xs, k):
    head = xs[:k]
    xs[:k] = []
    xs[len(xs):] = head
    return xs[::-1]


letters = list('abcdefgh')
letters[::2] = 'ABCD'
del letters[1:3]
letters[0:2] += ['!']
print(rotate(letters, 2), 'hello'[1::2], letters[-1:0:-3])
