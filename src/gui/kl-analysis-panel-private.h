/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the Portfolio's effort panel shares between its files:
 * kl-analysis-panel.c (classes, matrix, reminders, the review) and
 * kl-analysis-panel-lost.c (the lost-customer window). */
#pragma once

#include "kl-analysis-data.h"
#include "kl-analysis-panel.h"

G_BEGIN_DECLS

struct _KlAnalysisPanel {
  GtkBox        parent_instance;

  GCancellable *cancellable;
  GtkWidget    *pareto;
  GtkWidget    *matrix;
  GtkLabel     *classes_label;
  GtkLabel     *gaps_label;
  GtkListView  *reminders;      /* rows made for what is on screen */
  GtkStringList *reminder_texts;
  GPtrArray    *reminder_ids;   /* by position: the row's customer id or NULL */
  GPtrArray    *pending_texts;  /* rows still going into reminder_texts, NULL when none */
  guint         pending_pos;
  guint         fill_tick;
  gboolean      charts_pending; /* the charts are drawn again by the next fill_tick () */
  gboolean      loaded;
  char         *summary;
  GPtrArray    *reminder_data;  /* KlReminder *, for the iCalendar export */
  GtkWidget    *export_button;
  KlWorker     *worker;
  int           month;        /* as asked: yyyymm, 0 for last month */
  guint         busy;         /* reviews being written, lost-customer reads */

  /* what is drawn */
  GArray       *values;       /* double */
  GPtrArray    *codes;        /* char * */
  double        marks[3];
  int           priority[KL_N_ACCOUNT_CLASSES][KL_N_LINE_CLASSES];
  guint         counts[KL_N_ACCOUNT_CLASSES][KL_N_LINE_CLASSES];
};

/* The basis as a word of the interface language ("revenue"). */
const char *_kl_analysis_panel_basis_label (KlAnalysisBasis basis);

G_END_DECLS
