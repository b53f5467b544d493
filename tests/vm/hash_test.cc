// Tests of hash() (vm/hash.h) against CPython 3.11's values: every expected number below was
// printed by /usr/bin/python3 run with PYTHONHASHSEED=0, the setting the differential tests use.
#include "vm/hash.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "gil/gil.h"
#include "tests/vm/interpreter_fixture.h"
#include "vm/dict.h"
#include "vm/interpreter.h"
#include "vm/runtime.h"
#include "vm/set.h"

namespace gilbench::vm {
namespace {

// hash(v) through HashValue, or the error as "Type: message".
class HashValueTest : public test_support::InterpreterTest {
 protected:
  std::string Hash(Value v) {
    int64_t h = 0;
    std::string out =
        HashValue(ts_, v, &h) ? std::to_string(h) : ts_.error_type + ": " + ts_.error_message;
    ts_.ClearError();
    Decref(v);
    return out;
  }
};

int64_t Str(const std::string& utf8) {
  Value v = MakeStr(utf8);
  int64_t h = AsStr(v)->Hash();
  Decref(v);
  return h;
}

TEST(HashTest, SipHash13WithTheZeroKey) {
  // CPython's str hash is SipHash-1-3 of the bytes; for ASCII text these are the bytes.
  EXPECT_EQ(static_cast<int64_t>(SipHash13("a", 1)), 4644417185603328019);
  EXPECT_EQ(static_cast<int64_t>(SipHash13("ab", 2)), 6148830537548944441);
  // 8 bytes is one whole block and an empty tail; 9 one block and a tail.
  EXPECT_EQ(static_cast<int64_t>(SipHash13("abcdefgh", 8)), 4574395652268504554);
  EXPECT_EQ(static_cast<int64_t>(SipHash13("abcdefghi", 9)), -532774252720507163);
}

TEST(HashTest, StrHashesItsCodePointsAsCPythonStoresThem) {
  EXPECT_EQ(Str(""), 0);
  EXPECT_EQ(Str("a"), 4644417185603328019);
  EXPECT_EQ(Str("hello world"), -5642461784034726774);
  EXPECT_EQ(Str("\xc3\xa9"), 6047309291227476195);           // 'é': one byte, Latin-1
  EXPECT_EQ(Str("\xc3\xbf"), 3476900567878811119);           // 'ÿ': the widest one-byte code point
  EXPECT_EQ(Str("\xc4\x80"), 75343234424780393);             // 'Ā': two bytes each
  EXPECT_EQ(Str("\xe2\x82\xac"), -5529981157763016009);      // '€'
  EXPECT_EQ(Str("a\xe2\x82\xac"), 5181483246891551849);      // 'a€': 'a' widened to two bytes
  EXPECT_EQ(Str("\xf0\x9f\x98\x80"), -3536540696076613844);  // '😀': four bytes each
  EXPECT_EQ(Str("a\xf0\x9f\x98\x80"
                "b"),
            -7541021549821082252);
  EXPECT_EQ(Str("\xed\xa0\x80"), 5926611903945376553);  // a lone surrogate, '\ud800'
}

TEST(HashTest, StrHashIsComputedOnceAndKept) {
  Value v = MakeStr("cached");
  int64_t first = AsStr(v)->Hash();
  AsStr(v)->s = "changed";  // never done to a str; here it shows the hash is not recomputed
  EXPECT_EQ(AsStr(v)->Hash(), first);
  Decref(v);
}

TEST(HashTest, BytesHashLikeTheirBytes) {
  EXPECT_EQ(HashBytes(""), 0);
  EXPECT_EQ(HashBytes("a"), 4644417185603328019);  // as 'a': the same bytes
  EXPECT_EQ(HashBytes(std::string("abcdefgh\x00\xff", 10)), 4391936205073459662);
}

TEST(HashTest, IntsModuloTheMersennePrime) {
  EXPECT_EQ(HashInt(0), 0);
  EXPECT_EQ(HashInt(1), 1);
  EXPECT_EQ(HashInt(-1), -2);  // -1 is CPython's error value
  EXPECT_EQ(HashInt(-2), -2);
  EXPECT_EQ(HashInt(2305843009213693950), 2305843009213693950);  // 2**61 - 2
  EXPECT_EQ(HashInt(2305843009213693951), 0);                    // 2**61 - 1
  EXPECT_EQ(HashInt(2305843009213693952), 1);                    // 2**61
  EXPECT_EQ(HashInt(std::numeric_limits<int64_t>::max()), 3);
  EXPECT_EQ(HashInt(std::numeric_limits<int64_t>::min()), -4);
}

TEST(HashTest, FloatsEqualToIntsHashAlike) {
  EXPECT_EQ(HashDouble(1.0), 1);
  EXPECT_EQ(HashDouble(-1.0), -2);
  EXPECT_EQ(HashDouble(0.0), 0);
  EXPECT_EQ(HashDouble(-0.0), 0);
  EXPECT_EQ(HashDouble(std::ldexp(1.0, 62)), 2);  // 2.0**62 == 2 * 2**61
  EXPECT_EQ(HashDouble(0.5), 1152921504606846976);
  EXPECT_EQ(HashDouble(-0.5), -1152921504606846976);
  EXPECT_EQ(HashDouble(1.5), 1152921504606846977);
  EXPECT_EQ(HashDouble(3.14159), 326484311674566659);
  EXPECT_EQ(HashDouble(1e100), 1822893315824342674);
  EXPECT_EQ(HashDouble(1e-100), 1735222877707689105);
  EXPECT_EQ(HashDouble(-1e308), -156575653125701);
  EXPECT_EQ(HashDouble(std::numeric_limits<double>::infinity()), 314159);
  EXPECT_EQ(HashDouble(-std::numeric_limits<double>::infinity()), -314159);
}

TEST(HashTest, TuplesCombineTheirItemsInOrder) {
  EXPECT_EQ(TupleHasher().Finish(), 5740354900026072187);  // ()
  TupleHasher one;
  one.Add(1);
  EXPECT_EQ(one.Finish(), -6644214454873602895);  // (1,)
  TupleHasher pair;
  pair.Add(1);
  pair.Add(2);
  EXPECT_EQ(pair.Finish(), -3550055125485641917);  // (1, 2)
  TupleHasher nested;
  nested.Add(pair.Finish());
  nested.Add(Str("a"));
  EXPECT_EQ(nested.Finish(), 614555065800986576);  // ((1, 2), 'a')
}

TEST(HashTest, FrozenSetsIgnoreTheirOrder) {
  EXPECT_EQ(FrozenSetHasher().Finish(), 133146708735736);  // frozenset()
  FrozenSetHasher one;
  one.Add(1);
  EXPECT_EQ(one.Finish(), -558064481276695278);  // frozenset({1})
  FrozenSetHasher forward, backward;
  for (int64_t h : {1, 2, 3}) forward.Add(h);
  for (int64_t h : {3, 2, 1}) backward.Add(h);
  EXPECT_EQ(forward.Finish(), -272375401224217160);  // frozenset({1, 2, 3})
  EXPECT_EQ(backward.Finish(), forward.Finish());
  FrozenSetHasher strs;
  strs.Add(Str("a"));
  strs.Add(Str("b"));
  EXPECT_EQ(strs.Finish(), 1679668661828516449);  // frozenset({'a', 'b'})
  FrozenSetHasher nested;
  nested.Add(one.Finish());
  EXPECT_EQ(nested.Finish(), 5515263749738256364);  // frozenset({frozenset({1})})
}

TEST_F(HashValueTest, EveryHashableKind) {
  EXPECT_EQ(Hash(Value::Bool(true)), "1");
  EXPECT_EQ(Hash(Value::Int(-1)), "-2");
  EXPECT_EQ(Hash(Value::Float(1.5)), "1152921504606846977");
  EXPECT_EQ(Hash(MakeStr("a")), "4644417185603328019");
  EXPECT_EQ(Hash(MakeBytes("a")), "4644417185603328019");
  EXPECT_EQ(Hash(MakeTuple({Value::Float(1.5), Value::Int(-1)})), "-9002791676578425913");
  SetObj* fs = NewSet(ObjType::kFrozenSet);
  for (int64_t i = 1; i <= 3; ++i) ASSERT_TRUE(SetAdd(ts_, fs, Value::Int(i)));
  EXPECT_EQ(Hash(Value::Object(fs)), "-272375401224217160");
}

TEST_F(HashValueTest, MutableContainersAreUnhashable) {
  EXPECT_EQ(Hash(MakeList()), "TypeError: unhashable type: 'list'");
  EXPECT_EQ(Hash(Value::Object(NewSet(ObjType::kSet))), "TypeError: unhashable type: 'set'");
  EXPECT_EQ(Hash(MakeTuple({MakeList()})), "TypeError: unhashable type: 'list'");
  DictObj* d = NewDict();
  EXPECT_EQ(Hash(Value::Object(new DictViewObj(d, DictViewKind::kItems))),
            "TypeError: unhashable type: 'dict_items'");
  // dict_values compares by identity, and so hashes by it.
  Value values = Value::Object(new DictViewObj(d, DictViewKind::kValues));
  Incref(values);
  EXPECT_EQ(Hash(values), std::to_string(HashAddress(values.o)));
  Decref(values);
  DecrefObj(d);
}

TEST_F(HashValueTest, DeeplyNestedTuplesAreARecursionError) {
  Value t = MakeTuple();
  for (int i = 0; i < 5000; ++i) t = MakeTuple({t});
  EXPECT_EQ(Hash(t).rfind("RecursionError: ", 0), 0u);
}

}  // namespace
}  // namespace gilbench::vm
