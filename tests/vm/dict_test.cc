// Tests of the compact dict (vm/dict.h): insertion order, holes and the rebuilds that drop them,
// the index sizes CPython 3.11 grows to (read from sys.getsizeof), popitem()'s order, and the
// iterator's two RuntimeErrors.
#include "vm/dict.h"

#include <gtest/gtest.h>

#include <string>

#include "gil/gil.h"
#include "tests/vm/interpreter_fixture.h"
#include "vm/interpreter.h"
#include "vm/runtime.h"

namespace gilbench::vm {
namespace {

class DictTableTest : public test_support::InterpreterTest {
 protected:
  DictTableTest() : d_(NewDict()) {}
  ~DictTableTest() override { DecrefObj(d_); }

  void Set(int64_t k, int64_t v) { ASSERT_TRUE(DictSet(ts_, d_, Value::Int(k), Value::Int(v))); }
  void Del(int64_t k) {
    Value old;
    ASSERT_TRUE(DictPop(ts_, d_, Value::Int(k), &old));
    ASSERT_FALSE(old.is_undefined());
  }
  std::string Repr() { return ToRepr(Value::Object(d_)); }

  DictObj* d_;
};

TEST_F(DictTableTest, GrowsAsCPythonsDoes) {
  EXPECT_TRUE(d_->index.empty());  // no table until the first key
  Set(0, 0);
  EXPECT_EQ(d_->index.size(), 8u);
  EXPECT_EQ(d_->usable, 4);
  // The sixth key finds the 5 entries used up: rebuilt for 3 * 5 = 15, 16 slots; then 32 at the
  // eleventh, 64 at the twenty-second.
  for (auto [key, size] : {std::pair{5, 16u}, std::pair{10, 32u}, std::pair{21, 64u}}) {
    for (int64_t k = static_cast<int64_t>(d_->used); k < key; ++k) Set(k, k);
    EXPECT_LT(d_->index.size(), size);
    Set(key, key);
    EXPECT_EQ(d_->index.size(), size) << "key " << key;
  }
}

TEST_F(DictTableTest, DeletesLeaveHolesUntilARebuild) {
  for (int64_t k = 0; k < 5; ++k) Set(k, k);
  Del(1);
  Del(3);
  EXPECT_EQ(d_->entries.size(), 5u);  // holes stay
  EXPECT_EQ(d_->used, 3);
  EXPECT_EQ(Repr(), "{0: 0, 2: 2, 4: 4}");
  Set(1, 10);  // no room left: rebuilt (holes dropped), and 1 comes back at the end
  EXPECT_EQ(d_->entries.size(), 4u);
  EXPECT_EQ(Repr(), "{0: 0, 2: 2, 4: 4, 1: 10}");
}

TEST_F(DictTableTest, AReplacedValueKeepsItsKeyAndPlace) {
  Set(1, 1);
  Set(2, 2);
  ASSERT_TRUE(DictSet(ts_, d_, Value::Float(1.0), Value::Int(100)));
  EXPECT_EQ(Repr(), "{1: 100, 2: 2}");
}

TEST_F(DictTableTest, PopLastIsLifoAndMakesNoRoom) {
  for (int64_t k = 0; k < 4; ++k) Set(k, k);
  Del(3);
  Value key, value;
  ASSERT_TRUE(DictPopLast(d_, &key, &value));  // skips the hole at the end
  EXPECT_EQ(ToRepr(key), "2");
  Decref(key);
  Decref(value);
  EXPECT_EQ(d_->entries.size(), 2u);
  EXPECT_EQ(d_->usable, 1);  // as before: CPython does not give the slots back
  Set(9, 9);
  EXPECT_EQ(Repr(), "{0: 0, 1: 1, 9: 9}");
}

TEST_F(DictTableTest, ATableOfStrKeysIsRebuiltForItsFirstOtherKey) {
  Value a = MakeStr("a");
  ASSERT_TRUE(DictSet(ts_, d_, a, Value::Int(1)));
  Value old;
  ASSERT_TRUE(DictPop(ts_, d_, a, &old));
  EXPECT_EQ(d_->entries.size(), 1u);  // a hole
  EXPECT_TRUE(d_->unicode);
  Set(5, 5);
  EXPECT_FALSE(d_->unicode);
  EXPECT_EQ(d_->entries.size(), 1u);  // rebuilt first: the hole is gone
  Decref(a);
}

TEST_F(DictTableTest, IteratorsNoticeChanges) {
  Set(1, 1);
  Set(2, 2);
  auto* it = new DictIterObj(d_, DictViewKind::kKeys);
  Value item;
  ASSERT_EQ(DictIterNext(ts_, it, &item), DictIterStep::kItem);
  Set(3, 3);
  EXPECT_EQ(DictIterNext(ts_, it, &item), DictIterStep::kError);
  EXPECT_EQ(ts_.error_message, "dictionary changed size during iteration");
  ts_.ClearError();
  DecrefObj(it);

  // As many keys deleted as added: the size is the same, but more keys come than there were.
  it = new DictIterObj(d_, DictViewKind::kItems);
  ASSERT_EQ(DictIterNext(ts_, it, &item), DictIterStep::kItem);
  EXPECT_EQ(ToRepr(item), "(1, 1)");
  Decref(item);
  Del(1);
  Set(4, 4);
  ASSERT_EQ(DictIterNext(ts_, it, &item), DictIterStep::kItem);
  Decref(item);
  ASSERT_EQ(DictIterNext(ts_, it, &item), DictIterStep::kItem);
  Decref(item);
  EXPECT_EQ(DictIterNext(ts_, it, &item), DictIterStep::kError);
  EXPECT_EQ(ts_.error_message, "dictionary keys changed during iteration");
  DecrefObj(it);
}

TEST_F(DictTableTest, CopyKeepsACompactLayoutAndRebuildsASparseOne) {
  for (int64_t k = 0; k < 9; ++k) Set(k, k);
  DictObj* copy;
  ASSERT_TRUE(DictCopy(ts_, d_, &copy));
  EXPECT_EQ(copy->index.size(), d_->index.size());
  EXPECT_EQ(copy->usable, d_->usable);
  DecrefObj(copy);
  for (int64_t k = 0; k < 6; ++k) Del(k);
  ASSERT_TRUE(DictCopy(ts_, d_, &copy));
  EXPECT_EQ(copy->entries.size(), 3u);  // more than a third were holes: merged afresh
  EXPECT_EQ(ToRepr(Value::Object(copy)), "{6: 6, 7: 7, 8: 8}");
  DecrefObj(copy);
}

}  // namespace
}  // namespace gilbench::vm
