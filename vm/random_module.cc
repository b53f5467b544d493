// The random module: seed, random, getrandbits, randrange, randint, choice, shuffle, uniform,
// drawing exactly CPython 3.11's numbers for a seed. The generator is MT19937
// (mersenne_twister.h), seeded as _randommodule.c seeds it -- from the 32-bit words of |seed| for
// an int, of the seed bytes followed by their SHA-512 for a str or bytes -- and each function
// derives its result as Lib/random.py does (randrange through _randbelow_with_getrandbits,
// shuffle's backward loop, choice's one _randbelow). One generator per interpreter, shared by
// its threads under the GIL.
#include <openssl/evp.h>

#include <cmath>
#include <memory>
#include <random>
#include <string>

#include "vm/args.h"
#include "vm/builtins.h"
#include "vm/hash.h"
#include "vm/mersenne_twister.h"
#include "vm/runtime.h"

namespace gilbench::vm {
namespace {

// Seeds from the OS's randomness, as random.seed() and the import do.
void SeedFromOs(MersenneTwister* mt) {
  std::random_device device;
  std::vector<uint32_t> key(MersenneTwister::kN);
  for (uint32_t& word : key) word = device();
  mt->InitByArray(key);
}

MersenneTwister& Generator(ThreadState& ts) {
  std::shared_ptr<void>& state = ts.interp->random_state();
  if (!state) {
    auto mt = std::make_shared<MersenneTwister>();
    SeedFromOs(mt.get());
    state = mt;
  }
  return *static_cast<MersenneTwister*>(state.get());
}

// The little-endian 32-bit words of a big-endian unsigned number, at least one.
std::vector<uint32_t> WordsOfBigEndian(const std::string& bytes) {
  std::vector<uint32_t> words;
  size_t end = bytes.size();
  size_t first = bytes.find_first_not_of('\0');
  if (first == std::string::npos) return {0};
  while (end > first) {
    uint32_t word = 0;
    size_t begin = end >= first + 4 ? end - 4 : first;
    for (size_t i = begin; i < end; ++i) word = (word << 8) | static_cast<unsigned char>(bytes[i]);
    words.push_back(word);
    end = begin;
  }
  return words;
}

std::vector<uint32_t> WordsOfUint(uint64_t n) {
  if (n >> 32) return {static_cast<uint32_t>(n), static_cast<uint32_t>(n >> 32)};
  return {static_cast<uint32_t>(n)};
}

bool Seed(ThreadState& ts, const CallArgs& call, Value* result) {
  Value kw[2];
  if (!KeywordArgs(ts, call, "seed", {"a", "version"}, kw)) return false;
  Value a = call.npositional() >= 1 ? call.args[0] : kw[0];
  MersenneTwister& mt = Generator(ts);
  if (a.is_undefined() || a.is_none()) {
    SeedFromOs(&mt);
  } else if (a.is_intlike()) {
    mt.InitByArray(WordsOfUint(a.i < 0 ? 0 - static_cast<uint64_t>(a.i) : a.i));
  } else if (a.is_float()) {
    // CPython seeds from hash(a) taken as an unsigned machine word.
    mt.InitByArray(WordsOfUint(static_cast<uint64_t>(HashDouble(a.f))));
  } else if (IsType(a, ObjType::kStr) || IsType(a, ObjType::kBytes)) {
    // int.from_bytes(a + sha512(a).digest()), big-endian.
    std::string bytes = AsText(a)->s;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha512(), nullptr);
    bytes.append(reinterpret_cast<const char*>(md), len);
    mt.InitByArray(WordsOfBigEndian(bytes));
  } else {
    return ts.Raise("TypeError",
                    "The only supported seed types are: None,\nint, float, str, bytes, and "
                    "bytearray.");
  }
  *result = Value::None();
  return true;
}

bool Random(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "random", 0, 0)) return false;
  *result = Value::Float(Generator(ts).NextDouble());
  return true;
}

// getrandbits(k) for 0 <= k <= 63 (gilvm's ints hold no more): the top k bits of one output,
// or two outputs, the first the low word, as CPython builds its little-endian result.
uint64_t GetRandBits(MersenneTwister& mt, int k) {
  if (k == 0) return 0;
  if (k <= 32) return mt.Next() >> (32 - k);
  uint64_t low = mt.Next();
  uint64_t high = mt.Next() >> (64 - k);
  return low | (high << 32);
}

int BitLength(uint64_t n) { return n == 0 ? 0 : 64 - __builtin_clzll(n); }

// _randbelow_with_getrandbits(n), n > 0.
int64_t RandBelow(MersenneTwister& mt, int64_t n) {
  int k = BitLength(static_cast<uint64_t>(n));
  uint64_t r = GetRandBits(mt, k);
  while (r >= static_cast<uint64_t>(n)) r = GetRandBits(mt, k);
  return static_cast<int64_t>(r);
}

bool GetRandBitsFn(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "getrandbits", 1, 1)) return false;
  int64_t k;
  if (!IndexArg(ts, call.args[0], &k)) return false;
  if (k < 0) return ts.Raise("ValueError", "number of bits must be non-negative");
  if (k > 63) return ts.Raise("OverflowError", "integer overflow");
  *result = Value::Int(static_cast<int64_t>(GetRandBits(Generator(ts), static_cast<int>(k))));
  return true;
}

bool RaiseEmptyRange(ThreadState& ts, int64_t start, int64_t stop, int64_t width) {
  return ts.Raise("ValueError", "empty range for randrange() (" + std::to_string(start) + ", " +
                                    std::to_string(stop) + ", " + std::to_string(width) + ")");
}

// randrange(start[, stop[, step]]) as Lib/random.py computes it.
bool RandRangeOf(ThreadState& ts, Value start_v, Value stop_v, Value step_v, Value* result) {
  int64_t start, stop, step = 1;
  if (!IndexArg(ts, start_v, &start)) return false;
  MersenneTwister& mt = Generator(ts);
  if (stop_v.is_undefined() || stop_v.is_none()) {
    if (!step_v.is_undefined()) return ts.Raise("TypeError", "Missing a non-None stop argument");
    if (start > 0) {
      *result = Value::Int(RandBelow(mt, start));
      return true;
    }
    return ts.Raise("ValueError", "empty range for randrange()");
  }
  if (!IndexArg(ts, stop_v, &stop)) return false;
  int64_t width;
  if (__builtin_sub_overflow(stop, start, &width)) {
    return ts.Raise("OverflowError", "integer overflow");
  }
  if (!step_v.is_undefined() && !IndexArg(ts, step_v, &step)) return false;
  if (step == 1) {
    if (width <= 0) return RaiseEmptyRange(ts, start, stop, width);
    *result = Value::Int(start + RandBelow(mt, width));
    return true;
  }
  if (step == 0) return ts.Raise("ValueError", "zero step for randrange()");
  __int128 num = static_cast<__int128>(width) + (step > 0 ? step - 1 : step + 1);
  __int128 n = num / step;
  if (num % step != 0 && ((num < 0) != (step < 0))) n -= 1;  // Python's // floors
  if (n <= 0) return ts.Raise("ValueError", "empty range for randrange()");
  *result = Value::Int(start + step * RandBelow(mt, static_cast<int64_t>(n)));
  return true;
}

bool RandRange(ThreadState& ts, const CallArgs& call, Value* result) {
  Value kw[3];
  if (!KeywordArgs(ts, call, "randrange", {"start", "stop", "step"}, kw)) return false;
  int npos = call.npositional();
  if (npos > 3) {
    return ts.Raise("TypeError", "Random.randrange() takes from 2 to 4 positional arguments but " +
                                     std::to_string(npos + 1) + " were given");
  }
  for (int i = 0; i < npos; ++i) kw[i] = call.args[i];
  if (kw[0].is_undefined()) {
    return ts.Raise("TypeError",
                    "Random.randrange() missing 1 required positional argument: 'start'");
  }
  return RandRangeOf(ts, kw[0], kw[1], kw[2], result);
}

bool RandInt(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!NoKeywords(ts, call, "randint")) return false;
  if (call.nargs != 2) {
    return ts.Raise("TypeError", "Random.randint() missing " +
                                     std::string(call.nargs == 0 ? "2 required positional "
                                                                   "arguments: 'a' and 'b'"
                                                                 : "1 required positional "
                                                                   "argument: 'b'"));
  }
  int64_t b;
  if (!IndexArg(ts, call.args[1], &b)) return false;
  if (b == INT64_MAX) return ts.Raise("OverflowError", "integer overflow");
  return RandRangeOf(ts, call.args[0], Value::Int(b + 1), Value::Undefined(), result);
}

bool Choice(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!NoKeywords(ts, call, "choice")) return false;
  if (call.nargs != 1) {
    return ts.Raise("TypeError", "Random.choice() missing 1 required positional argument: 'seq'");
  }
  int64_t n = LengthOf(call.args[0]);
  if (n < 0) {
    return ts.Raise("TypeError",
                    std::string("object of type '") + TypeName(call.args[0]) + "' has no len()");
  }
  if (n == 0) return ts.Raise("IndexError", "Cannot choose from an empty sequence");
  return GetItem(ts, call.args[0], Value::Int(RandBelow(Generator(ts), n)), result);
}

// shuffle(x): for i from len(x) - 1 down to 1, swap x[i] with x[randbelow(i + 1)].
bool Shuffle(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!NoKeywords(ts, call, "shuffle")) return false;
  if (call.nargs != 1) {
    return ts.Raise("TypeError", "Random.shuffle() missing 1 required positional argument: 'x'");
  }
  Value x = call.args[0];
  int64_t n = LengthOf(x);
  if (n < 0) {
    return ts.Raise("TypeError", std::string("object of type '") + TypeName(x) + "' has no len()");
  }
  MersenneTwister& mt = Generator(ts);
  for (int64_t i = n - 1; i >= 1; --i) {
    int64_t j = RandBelow(mt, i + 1);
    if (IsType(x, ObjType::kList) && static_cast<int64_t>(AsSeq(x)->items.size()) == n) {
      std::swap(AsSeq(x)->items[i], AsSeq(x)->items[j]);
      continue;
    }
    Value a, b;  // x[i], x[j] = x[j], x[i], through the generic subscripts
    if (!GetItem(ts, x, Value::Int(j), &a)) return false;
    if (!GetItem(ts, x, Value::Int(i), &b)) {
      Decref(a);
      return false;
    }
    bool ok = SetItem(ts, x, Value::Int(i), a) && SetItem(ts, x, Value::Int(j), b);
    Decref(a);
    Decref(b);
    if (!ok) return false;
  }
  *result = Value::None();
  return true;
}

// uniform(a, b) = a + (b - a) * random(), in Python's arithmetic.
bool Uniform(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!NoKeywords(ts, call, "uniform")) return false;
  if (call.nargs != 2) {
    return ts.Raise("TypeError", "Random.uniform() missing " +
                                     std::string(call.nargs == 0 ? "2 required positional "
                                                                   "arguments: 'a' and 'b'"
                                                                 : "1 required positional "
                                                                   "argument: 'b'"));
  }
  Value diff, scaled;
  if (!BinaryArith(ts, BinaryOp::kSub, call.args[1], call.args[0], false, &diff)) return false;
  bool ok = BinaryArith(ts, BinaryOp::kMul, diff, Value::Float(Generator(ts).NextDouble()), false,
                        &scaled);
  Decref(diff);
  if (!ok) return false;
  ok = BinaryArith(ts, BinaryOp::kAdd, call.args[0], scaled, false, result);
  Decref(scaled);
  return ok;
}

}  // namespace

Value CreateRandomModule() {
  auto* m = new ModuleObj("random");
  static const std::pair<const char*, NativeFn> kFunctions[] = {
      {"seed", Seed},           {"random", Random},   {"getrandbits", GetRandBitsFn},
      {"randrange", RandRange}, {"randint", RandInt}, {"choice", Choice},
      {"shuffle", Shuffle},     {"uniform", Uniform},
  };
  for (const auto& [name, fn] : kFunctions) {
    m->attrs.emplace_back(name, Value::Object(new NativeObj(name, fn, false)));
  }
  return Value::Object(m);
}

}  // namespace gilbench::vm
