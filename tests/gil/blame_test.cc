// GIL blame's pieces (gil/blame.h): the asks a waiter makes and the holder answers, the folded
// form by the stack at the asking.
#include "gil/blame.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <vector>

namespace gilbench::gil {
namespace {

constexpr uint32_t kBit = 1u << 2;

// An ask raises the eval breaker's bit; a reply covers every ask before it, and no later one.
TEST(BlameAsksTest, AReplyCoversTheAsksBeforeIt) {
  std::atomic<uint32_t> breaker{0};
  BlameAsks asks(&breaker, kBit);
  EXPECT_FALSE(asks.Pending());
  const uint64_t first = asks.Ask();
  const uint64_t second = asks.Ask();
  EXPECT_NE(breaker.load() & kBit, 0u);
  EXPECT_TRUE(asks.Pending());
  EXPECT_EQ(asks.ReplyTo(first).holder, 0u);  // not answered yet: not known
  asks.Answer(7, 70);
  EXPECT_FALSE(asks.Pending());
  const uint64_t third = asks.Ask();
  asks.Answer(8, 80);
  asks.Answer(9, 90);  // nothing pending: no reply of its own
  for (uint64_t ticket : {first, second}) {
    EXPECT_EQ(asks.ReplyTo(ticket).holder, 7u);
    EXPECT_EQ(asks.ReplyTo(ticket).stack, 70u);
  }
  EXPECT_EQ(asks.ReplyTo(third).holder, 8u);
  EXPECT_EQ(asks.ReplyTo(third).stack, 80u);
  EXPECT_EQ(asks.ReplyTo(0).holder, 0u);
}

// Only so many replies are kept: an ask whose reply has been overwritten reads as not known,
// never as another holder's.
TEST(BlameAsksTest, AnAskOlderThanTheKeptRepliesIsNotKnown) {
  std::atomic<uint32_t> breaker{0};
  BlameAsks asks(&breaker, kBit);
  const uint64_t old = asks.Ask();
  asks.Answer(1, 10);
  uint64_t last = 0;
  for (uint32_t i = 0; i < 1000; ++i) {
    last = asks.Ask();
    asks.Answer(2 + i, 20 + i);
  }
  EXPECT_EQ(asks.ReplyTo(old).holder, 0u);
  EXPECT_EQ(asks.ReplyTo(last).holder, 1001u);
}

// The asked form folds by the holder and its stack at the asking, the other by those at the drop:
// lines that differ only in the other pair merge, heaviest first.
TEST(BlameFoldedTest, EachFoldedFormMergesLinesThatDifferOnlyInTheOther) {
  std::vector<BlameLine> lines = {
      {"w", "h", "f (a.py:1)", BlameEntry{100, 1}, "h", "g (a.py:2)"},
      {"w", "h", "k (a.py:3)", BlameEntry{50, 1}, "h", "g (a.py:2)"},
      {"w", "h", "k (a.py:3)", BlameEntry{120, 2}, "h", "x;y (a.py:4)"},
  };
  EXPECT_EQ(FoldedBlameAsked(lines),
            "waiting: w;holding: h;g (a.py:2) 150\n"
            "waiting: w;holding: h;x;y (a.py:4) 120\n");
  // And the form at the drop merges the lines that differ only at the asking.
  EXPECT_EQ(FoldedBlame(lines),
            "waiting: w;holding: h;k (a.py:3) 170\n"
            "waiting: w;holding: h;f (a.py:1) 100\n");
}

}  // namespace
}  // namespace gilbench::gil
