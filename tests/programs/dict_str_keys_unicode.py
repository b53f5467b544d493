# str keys of every width (ASCII, Latin-1, BMP, astral) and bytes keys: lookups, order, repr.
d = {'ascii': 1, 'café': 2, 'ÿ': 3, 'Ā': 4, '€': 5, '😀': 6, 'a😀b': 7, '': 8}
print(d)
print(d['café'], d['😀'], d[''], 'cafe' in d, 'café' in d)
b = {b'': 0, b'\x00': 1, b'\xff\xfe': 2, b'abc': 3}
print(b, b[b'\xff\xfe'])
mixed = {'1': 'str', 1: 'int', b'1': 'bytes', (1,): 'tuple'}
print(mixed, len(mixed))
