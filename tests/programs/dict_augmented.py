# Augmented assignment on dict items: d[k] += v reads, computes and stores under the same key.
scores = {'ann': 0, 'bob': 0}
for name, points in [('ann', 3), ('bob', 5), ('ann', 4), ('bob', -1)]:
    scores[name] += points
print(scores)
tally = {}
for ch in 'abracadabra':
    tally[ch] = tally.get(ch, 0)
    tally[ch] += 1
print(tally)
words = {'x': 'a'}
words['x'] += 'b'
words['x'] *= 3
print(words)
nums = {'n': 100}
nums['n'] -= 1
nums['n'] //= 3
nums['n'] %= 10
nums['n'] **= 2
nums['n'] |= 64
nums['n'] ^= 1
nums['n'] &= 0xFF
nums['n'] <<= 2
nums['n'] >>= 1
print(nums)
lists = {'l': [1]}
alias = lists['l']
lists['l'] += [2, 3]
print(lists, alias, alias is lists['l'])
