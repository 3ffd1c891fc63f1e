/*
 * guest_mem_ptr(): the one gate every guest address passes.  Only the
 * arithmetic is tested, so the "memory" is a fake base that is never read.
 */
#include "guest_mem.h"
#include "unit_suites.h"

#define MEM_SIZE (2ULL << 20)

static uint8_t fake_base[1];

static const struct guest_mem mem = {.base = fake_base, .size = MEM_SIZE};

START_TEST(test_inside)
{
    ck_assert_ptr_eq(guest_mem_ptr(&mem, 0, MEM_SIZE), fake_base);
    ck_assert_ptr_eq(guest_mem_ptr(&mem, MEM_SIZE - 1, 1),
                     fake_base + MEM_SIZE - 1);
    ck_assert_ptr_eq(guest_mem_ptr(&mem, 0x1000, 0), fake_base + 0x1000);
}
END_TEST

static const struct {
    uint64_t gpa;
    uint64_t len;
} outside[] = {
    {MEM_SIZE, 0},                /* an empty range must still start inside */
    {MEM_SIZE, 1},                /* just past the end */
    {MEM_SIZE - 1, 2},            /* straddles the end */
    {0, MEM_SIZE + 1},            /* one byte too long */
    {1, UINT64_MAX},              /* gpa + len wraps around */
    {UINT64_MAX, 2},              /* wraps to 1 */
    {UINT64_MAX, 0},              /* far outside */
    {0x1000, UINT64_MAX - 0xfff}, /* wraps to exactly 0 */
};

START_TEST(test_outside)
{
    ck_assert_msg(guest_mem_ptr(&mem, outside[_i].gpa, outside[_i].len) == NULL,
                  "gpa 0x%llx len 0x%llx accepted",
                  (unsigned long long)outside[_i].gpa,
                  (unsigned long long)outside[_i].len);
}
END_TEST

Suite *guest_mem_suite(void)
{
    Suite *s = suite_create("guest_mem");
    TCase *tc = tcase_create("guest_mem_ptr");

    tcase_add_test(tc, test_inside);
    tcase_add_loop_test(tc, test_outside, 0,
                        sizeof(outside) / sizeof(outside[0]));
    suite_add_tcase(s, tc);
    return s;
}
