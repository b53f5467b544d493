// CPython 3.11's hash functions (Python/pyhash.c, Objects/longobject.c, floatobject.c,
// tupleobject.c, setobject.c), rewritten from their documented algorithms; see hash.h.
#include "vm/hash.h"

#include <cmath>
#include <cstring>
#include <string>

#include "vm/class.h"
#include "vm/code.h"
#include "vm/dict.h"
#include "vm/dunders.h"
#include "vm/interpreter.h"
#include "vm/runtime.h"
#include "vm/set.h"
#include "vm/utf8.h"

namespace gilbench::vm {
namespace {

constexpr int kHashBits = 61;

inline uint64_t RotateLeft(uint64_t x, int bits) { return (x << bits) | (x >> (64 - bits)); }

// One SipHash round over the four state words.
inline void SipRound(uint64_t* v0, uint64_t* v1, uint64_t* v2, uint64_t* v3) {
  *v0 += *v1;
  *v1 = RotateLeft(*v1, 13) ^ *v0;
  *v0 = RotateLeft(*v0, 32);
  *v2 += *v3;
  *v3 = RotateLeft(*v3, 16) ^ *v2;
  *v0 += *v3;
  *v3 = RotateLeft(*v3, 21) ^ *v0;
  *v2 += *v1;
  *v1 = RotateLeft(*v1, 17) ^ *v2;
  *v2 = RotateLeft(*v2, 32);
}

inline uint64_t LoadLittleEndian64(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// CPython never returns -1 from a hash function: it means "error" there.
inline int64_t NotMinusOne(int64_t h) { return h == -1 ? -2 : h; }

// The code points of non-ASCII UTF-8 text as CPython's compact str stores them: 1, 2 or 4
// little-endian bytes each, by the widest code point.
std::string CanonicalCodeUnits(std::string_view utf8) {
  std::u32string points = utf8::DecodeAllLenient(utf8);
  uint32_t widest = 0;
  for (char32_t cp : points) widest = std::max<uint32_t>(widest, cp);
  const size_t width = widest < 0x100 ? 1 : widest < 0x10000 ? 2 : 4;
  std::string units;
  units.reserve(points.size() * width);
  for (char32_t cp : points) {
    for (size_t b = 0; b < width; ++b) units.push_back(static_cast<char>((cp >> (8 * b)) & 0xFF));
  }
  return units;
}

// hash(None): CPython 3.11 takes it from None's address, which changes from run to run; gilvm
// uses the constant CPython 3.12 chose for it (see hash.h).
int64_t HashValueOfNone() { return 0xFCA86420; }

// The frozenset hash's per-item scramble, which spreads the bits of small hashes (CPython's
// _shuffle_bits).
inline uint64_t ShuffleBits(uint64_t h) { return ((h ^ 89869747ULL) ^ (h << 16)) * 3644798167ULL; }

// hash(range): that of the tuple (len, start, step), with None for what does not matter (start
// and step of an empty range, step of a one-item range), so that equal ranges hash alike.
int64_t RangeHash(const RangeObj& r) {
  const uint64_t count = r.Count();
  const int64_t none = HashValueOfNone();
  TupleHasher hasher;
  // The length may exceed int64: reduce it as CPython reduces a big int.
  hasher.Add(static_cast<int64_t>(count % static_cast<uint64_t>(kHashModulus)));
  hasher.Add(count == 0 ? none : HashInt(r.start));
  hasher.Add(count <= 1 ? none : HashInt(r.step));
  return hasher.Finish();
}

}  // namespace

uint64_t SipHash13(const void* data, size_t size) {
  const auto* in = static_cast<const unsigned char*>(data);
  // The key is all zero, so the state starts as the four "somepseudorandomlygeneratedbytes"
  // constants themselves.
  uint64_t v0 = 0x736f6d6570736575ULL;
  uint64_t v1 = 0x646f72616e646f6dULL;
  uint64_t v2 = 0x6c7967656e657261ULL;
  uint64_t v3 = 0x7465646279746573ULL;
  const uint64_t tail_word = static_cast<uint64_t>(size) << 56;
  size_t left = size;
  for (; left >= 8; left -= 8, in += 8) {
    const uint64_t m = LoadLittleEndian64(in);
    v3 ^= m;
    SipRound(&v0, &v1, &v2, &v3);  // SipHash-1-3: one compression round ...
    v0 ^= m;
  }
  uint64_t last = tail_word;
  for (size_t i = 0; i < left; ++i) last |= static_cast<uint64_t>(in[i]) << (8 * i);
  v3 ^= last;
  SipRound(&v0, &v1, &v2, &v3);
  v0 ^= last;
  v2 ^= 0xff;
  for (int i = 0; i < 3; ++i) SipRound(&v0, &v1, &v2, &v3);  // ... and three finalisation rounds
  return (v0 ^ v1) ^ (v2 ^ v3);
}

int64_t HashInt(int64_t n) {
  // |n| as unsigned: -2**63 has no int64 negation.
  const uint64_t magnitude = n < 0 ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
  const auto reduced = static_cast<int64_t>(magnitude % static_cast<uint64_t>(kHashModulus));
  return NotMinusOne(n < 0 ? -reduced : reduced);
}

// The value of x modulo 2**61 - 1 with x's sign, computed from the mantissa 28 bits at a time
// and the exponent as a rotation (2**61 = 1 modulo the prime), as CPython's _Py_HashDouble does.
int64_t HashDouble(double x) {
  if (std::isinf(x)) return x > 0 ? kHashInf : -kHashInf;
  if (std::isnan(x)) return 0;
  int exponent;
  double mantissa = std::frexp(x, &exponent);
  int sign = 1;
  if (mantissa < 0) {
    sign = -1;
    mantissa = -mantissa;
  }
  const auto modulus = static_cast<uint64_t>(kHashModulus);
  uint64_t acc = 0;
  while (mantissa != 0) {
    acc = ((acc << 28) & modulus) | acc >> (kHashBits - 28);
    mantissa *= 268435456.0;  // 2**28
    exponent -= 28;
    const auto top = static_cast<uint64_t>(mantissa);
    mantissa -= static_cast<double>(top);
    acc += top;
    if (acc >= modulus) acc -= modulus;
  }
  exponent = exponent >= 0 ? exponent % kHashBits : kHashBits - 1 - ((-1 - exponent) % kHashBits);
  acc = ((acc << exponent) & modulus) | acc >> (kHashBits - exponent);
  acc *= static_cast<uint64_t>(static_cast<int64_t>(sign));
  return NotMinusOne(static_cast<int64_t>(acc));
}

int64_t HashBytes(std::string_view bytes) {
  if (bytes.empty()) return 0;
  return NotMinusOne(static_cast<int64_t>(SipHash13(bytes.data(), bytes.size())));
}

int64_t HashText(std::string_view utf8, bool ascii) {
  if (ascii) return HashBytes(utf8);
  return HashBytes(CanonicalCodeUnits(utf8));
}

int64_t HashAddress(const void* p) {
  const auto bits = reinterpret_cast<uintptr_t>(p);
  return NotMinusOne(static_cast<int64_t>(RotateLeft(bits, 60)));  // a right rotation by 4
}

void TupleHasher::Add(int64_t item_hash) {
  acc_ += static_cast<uint64_t>(item_hash) * 14029467366897019727ULL;  // PRIME64_2
  acc_ = RotateLeft(acc_, 31);
  acc_ *= 11400714785074694791ULL;  // PRIME64_1
  ++count_;
}

int64_t TupleHasher::Finish() const {
  // The length is mixed in so that hash(()) keeps its value from before 3.8.
  const uint64_t acc = acc_ + (count_ ^ (2870177450012600261ULL ^ 3527539ULL));
  return acc == static_cast<uint64_t>(-1) ? 1546275796 : static_cast<int64_t>(acc);
}

void FrozenSetHasher::Add(int64_t item_hash) {
  acc_ ^= ShuffleBits(static_cast<uint64_t>(item_hash));
  ++count_;
}

int64_t FrozenSetHasher::Finish() const {
  uint64_t h = acc_ ^ ((count_ + 1) * 1927868237ULL);
  h ^= (h >> 11) ^ (h >> 25);  // disperse the patterns of nested frozensets
  h = h * 69069U + 907133923ULL;
  return h == static_cast<uint64_t>(-1) ? 590923713 : static_cast<int64_t>(h);
}

bool HashValue(ThreadState& ts, Value v, int64_t* out) {
  switch (v.tag) {
    case Tag::kInt:
    case Tag::kBool:
      *out = HashInt(v.i);
      return true;
    case Tag::kFloat:
      *out = HashDouble(v.f);
      return true;
    case Tag::kNone:
    case Tag::kUndefined:
      *out = HashValueOfNone();
      return true;
    case Tag::kObj:
      break;
  }
  if (v.o->type == ObjType::kInstance) return InstanceHash(ts, v, out);
  switch (v.o->type) {
    case ObjType::kStr:
      *out = AsStr(v)->Hash();
      return true;
    case ObjType::kBytes:
      *out = HashBytes(AsBytes(v)->s);
      return true;
    case ObjType::kTuple: {
      // One C++ level per nesting level, bounded like the interpreter's recursion.
      if (ts.depth > Interpreter::kRecursionLimit) {
        return ts.Raise("RecursionError",
                        "maximum recursion depth exceeded while calling a Python "
                        "object");
      }
      ++ts.depth;
      TupleHasher hasher;
      bool ok = true;
      for (Value item : AsSeq(v)->items) {
        int64_t h;
        ok = HashValue(ts, item, &h);
        if (!ok) break;
        hasher.Add(h);
      }
      --ts.depth;
      if (ok) *out = hasher.Finish();
      return ok;
    }
    case ObjType::kFrozenSet:
      *out = FrozenSetHash(AsSet(v));
      return true;
    case ObjType::kRange:
      *out = RangeHash(*static_cast<RangeObj*>(v.o));
      return true;
    case ObjType::kDictView:
      // dict_keys and dict_items compare as sets, so they have no hash; dict_values compares by
      // identity and hashes by it.
      if (static_cast<DictViewObj*>(v.o)->kind == DictViewKind::kValues) {
        *out = HashAddress(v.o);
        return true;
      }
      [[fallthrough]];
    case ObjType::kList:
    case ObjType::kDict:
    case ObjType::kSet:
      return ts.Raise("TypeError", std::string("unhashable type: '") + TypeName(v) + "'");
    default:
      // Functions, modules, iterators, threads ...: by identity, as object.__hash__ does.
      *out = HashAddress(v.o);
      return true;
  }
}

}  // namespace gilbench::vm
