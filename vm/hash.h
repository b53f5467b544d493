// hash() as CPython 3.11 computes it, for every hashable value of the subset, so that a set's
// table -- and so the order in which it prints -- is the one CPython builds for the same
// operations. The differential tests run both interpreters with PYTHONHASHSEED=0, under which
// CPython hashes str and bytes with SipHash-1-3 keyed by sixteen zero bytes; gilvm always does
// (it has no hash randomisation to turn off). Numbers hash by their value modulo the Mersenne
// prime 2**61 - 1, so that equal numbers of any type hash alike (hash(1) == hash(1.0) ==
// hash(True)); tuples and frozensets combine their items' hashes the way 3.11 does.
//
// What cannot match: CPython 3.11 hashes None, NaN, functions and modules by their address,
// which changes from run to run; gilvm hashes None to the constant CPython 3.12 gives it, NaN to
// 0 and the others by their address in the same way (no program can depend on those values).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vm/value.h"

namespace gilbench::vm {

struct ThreadState;

// The modulus of numeric hashes: the Mersenne prime 2**61 - 1 (CPython's _PyHASH_MODULUS).
inline constexpr int64_t kHashModulus = (int64_t{1} << 61) - 1;
// hash(float('inf')); -inf hashes to its negation.
inline constexpr int64_t kHashInf = 314159;

// SipHash-1-3 of `size` bytes with the all-zero key: CPython's string hash under
// PYTHONHASHSEED=0.
uint64_t SipHash13(const void* data, size_t size);

// hash(n) for an int: n modulo 2**61 - 1 with n's sign, -1 becoming -2 (CPython reserves -1 for
// errors).
int64_t HashInt(int64_t n);
// hash(x) for a float: equal to the int's hash when x is integral; NaN hashes to 0 (see above).
int64_t HashDouble(double x);
// hash(b) for bytes: SipHash-1-3 of the bytes, 0 for b''.
int64_t HashBytes(std::string_view bytes);
// hash(s) for a str given as its UTF-8 text: SipHash-1-3 of the code points as CPython stores
// them (one byte each when all are below 256, else two, else four, little-endian), 0 for ''.
// `ascii` says that every byte is below 0x80 (the text is then hashed as it is).
int64_t HashText(std::string_view utf8, bool ascii);
// CPython's hash of an object by its address (_Py_HashPointer): the address rotated by 4 bits.
int64_t HashAddress(const void* p);

// CPython 3.11's tuple hash (an xxHash variant): feed each item's hash in order, then Finish.
class TupleHasher {
 public:
  void Add(int64_t item_hash);
  int64_t Finish() const;

 private:
  uint64_t acc_ = 2870177450012600261ULL;  // xxHash's PRIME64_5
  uint64_t count_ = 0;
};

// CPython 3.11's frozenset hash, from the hashes of its items (in any order: the combination is
// order-independent by design).
class FrozenSetHasher {
 public:
  void Add(int64_t item_hash);
  int64_t Finish() const;

 private:
  uint64_t acc_ = 0;
  uint64_t count_ = 0;
};

// hash(v): false with CPython's TypeError ("unhashable type: 'list'") for a list, dict, set or
// anything else without a hash, or a RecursionError for tuples nested beyond the recursion limit.
bool HashValue(ThreadState& ts, Value v, int64_t* out);

}  // namespace gilbench::vm
