/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-bench --window: the window's figures on a workspace. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Opens the window on workspace and prints its figures (first content,
 * frames while scrolling, searching and switching pages, memory, idle CPU).
 * A missing workspace is first made with n_customers customers and no
 * shipments (for the scrolling figure). Returns the exit status. */
int kl_bench_window_run (const char *workspace,
                         int         n_customers);

G_END_DECLS
