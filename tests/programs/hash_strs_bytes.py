# hash() of str and bytes under PYTHONHASHSEED=0 (SipHash-1-3, zero key): a str hashes its code
# points at 1, 2 or 4 bytes each, so 'a' and b'a' hash alike but never compare equal.
for s in ['', 'a', 'b', 'ab', 'abc', 'abcdefg', 'abcdefgh', 'abcdefghi', 'hello world',
          'the quick brown fox jumps over the lazy dog', 'é', 'café', 'ÿ', 'Ā', '€', '€uro',
          '😀', 'a😀', 'a€😀', 'x' * 100, '\x00', '\n']:
    print('%r %d' % (s, hash(s)))
for b in [b'', b'a', b'ab', b'abcdefgh', b'\x00\xff', b'hello world', b'\xe2\x82\xac']:
    print(b, hash(b))
print(hash('a') == hash(b'a'), 'a' == b'a', len({'a', b'a'}), hash('é') == hash('é'.encode()))
