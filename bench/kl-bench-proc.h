/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CPU time of another process, for the bench programs' figures. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

double kl_bench_process_cpu_s (GPid pid);

G_END_DECLS
