#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The survey fixture of test-survey-stats and test-cli-analysis, worked out
# independently of Keyline's C code: the method's published example of ten
# attributes whose relative performances are −0.11, −0.25, −0.36, −0.20,
# +0.02, −0.24, +0.88, +0.04, +0.12, +0.54, built from 100 respondents per
# attribute, and the Welch t-test p-values computed with mpmath's regularized
# incomplete beta function (not GSL). Run it to print the expected values and
# (with an argument) write the CSV.
import sys
from mpmath import mp, mpf, betainc, sqrt

mp.dps = 40
N = 100
CODES = ["pickup", "delivery", "damage", "notice", "documents",
         "claims", "billing", "team", "tracking", "price"]
OURS = [512, 480, 435, 502, 460, 421, 550, 495, 444, 531]          # sums of 100
RELATIVE = [-11, -25, -36, -20, 2, -24, 88, 4, 12, 54]             # hundredths
IMPORTANCE = [580, 560, 510, 470, 400, 399, 590, 340, 310, 450]
PATTERN = [-2, -1, -1, 0, 0, 0, 0, 1, 1, 2]


def sample(total, offset):
    """100 ratings 1..7 summing to total: a spread around total // 100,
    then +1 on the first ratings below 7 until the sum is reached."""
    m = total // N
    v = [m + PATTERN[(k + offset) % 10] for k in range(N)]
    r = total - sum(v)
    k = 0
    while r > 0:
        if v[k] < 7:
            v[k] += 1
            r -= 1
        k += 1
    assert all(1 <= x <= 7 for x in v) and sum(v) == total
    return v


def moments(v):
    n = len(v)
    mean = mpf(sum(v)) / n
    var = sum((x - mean) ** 2 for x in v) / (n - 1)
    return n, mean, var


def welch(a, b):
    n1, m1, v1 = moments(a)
    n2, m2, v2 = moments(b)
    s1, s2 = v1 / n1, v2 / n2
    t = (m1 - m2) / sqrt(s1 + s2)
    df = (s1 + s2) ** 2 / (s1 ** 2 / (n1 - 1) + s2 ** 2 / (n2 - 1))
    p = betainc(df / 2, mpf(1) / 2, 0, df / (df + t * t), regularized=True)
    return t, df, p


rows = []
for i, code in enumerate(CODES):
    ours = sample(OURS[i], 0)
    theirs = sample(OURS[i] - RELATIVE[i], 3)
    imp = sample(IMPORTANCE[i], 5)
    t, df, p = welch(ours, theirs)
    n, _, vi = moments(imp)
    print("%-10s rel %+.2f t %.12f df %.12f p %.12e sd_ours %.12f sd_imp %.12f" %
          (code, RELATIVE[i] / 100, t, df, p, sqrt(moments(ours)[2]), sqrt(vi)))
    for k in range(N):
        rows.append((k, code, imp[k], ours[k], theirs[k]))

if len(sys.argv) > 1:
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        f.write("受访者,客户编码,属性,重要性,公司,绩效\n")
        for k, code, imp, o, t in sorted(rows):
            f.write("R%03d,%s,%s,%d,我方,%d\n" % (k + 1, "C%04d" % (k % 3 + 1), code, imp, o))
            f.write("R%03d,%s,%s,%d,Rival Freight,%d\n" % (k + 1, "C%04d" % (k % 3 + 1), code, imp, t))
