/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the files of the Reports page: kl-reports-page.c (the choices
 * and the preview), kl-reports-page-notes.c (comments and goals),
 * kl-reports-page-export.c (files) and kl-reports-page-actions.c (printing
 * and the page's actions). */
#pragma once

#include <adwaita.h>

#include "kl-reports-page.h"
#include "kl-report-job.h"
#include "kl-report-print.h"

G_BEGIN_DECLS

/* Quiet time after the last keystroke before comments and goals are saved. */
#define NOTES_SAVE_DELAY_MS 800
/* A rebuild shorter than this keeps the old pages on screen, dimmed. */
#define SPINNER_DELAY_MS 250

/* Periods offered, newest first: the current one (so far) and these many before. */
#define N_PAST_MONTHS   36
#define N_PAST_QUARTERS 12
#define N_PAST_YEARS    5

/* Exported charts, in points (SVG) or logical pixels (PNG, drawn at 2×). */
#define CHART_WIDTH   720.0
#define CHART_HEIGHT  405.0
#define CHART_PADDING 16.0

struct _KlReportsPage {
  AdwBin             parent_instance;

  KlWorker          *worker;
  GSettings         *settings;        /* NULL where the schema is not installed */
  KlReportPrint     *print;
  GCancellable      *lifetime;        /* cancelled in dispose */

  /* The choices. */
  GListStore        *customers;       /* KlCustomerItem; the portfolio first */
  gboolean           customers_loaded;
  gboolean           loading_customers;
  char              *wanted_customer_id;
  gboolean           wants_customer;
  GTimeZone         *tz;
  KlPeriodKind       kind;
  GPtrArray         *periods;         /* KlPeriod, as in period_dropdown */
  gboolean           updating;        /* choices are being set from code */
  gboolean           period_chosen;   /* by the user or the API: kept over the first load */

  /* The report. */
  GCancellable      *build_cancellable;
  guint              build_generation;
  gboolean           building;
  gboolean           busy;
  char              *shown_key;       /* customer, period and language of the preview */
  char              *building_key;
  guint              spinner_id;
  gboolean           print_pending;   /* print once the notes are in the report */

  /* Comments and goals: whose and which period the editor holds. */
  char              *notes_customer_id;
  char              *notes_period;
  gboolean           notes_loaded;
  gboolean           notes_dirty;
  gboolean           setting_notes;
  guint              notes_timeout_id;
  guint              saves_in_flight;
  guint              n_saves;

  /* template */
  AdwToastOverlay   *toast_overlay;
  AdwFlap           *flap;
  GtkDropDown       *customer_dropdown;
  GtkDropDown       *period_dropdown;
  GtkDropDown       *language_dropdown;
  GtkWidget         *notes_box;
  GtkTextView       *comments_view;
  GtkTextView       *goals_view;
  GtkLabel          *notes_status;
  AdwWindowTitle    *report_title;
  GtkMenuButton     *figures_button;
  GtkSpinner        *build_spinner;
  GtkStack          *preview_stack;
  GtkSpinner        *loading_spinner;
  KlReportPreview   *preview;
  AdwStatusPage     *error_page;
  GtkWidget         *view_controls;
  GtkToggleButton   *options_button;
  GtkLabel          *page_label;
  GtkMenuButton     *zoom_button;

  /* Email to Client (kl-reports-page-email.c) */
  gboolean           emailing;        /* preparing or composing */
  KlEmailMessage    *email_waiting;   /* no address: composed only if asked */
};

/* Replies hold the page weakly, so a late answer does not keep it alive. */
typedef struct {
  GWeakRef  self;
  KlWorker *worker;
  guint     generation;
  char     *customer_id;
  char     *period;
} Call;

Call            *_kl_reports_page_call_new           (KlReportsPage   *self);
void             _kl_reports_page_call_free          (Call            *call);
/* The page the reply is for, or NULL when it is gone or going. */
KlReportsPage   *_kl_reports_page_call_get_page      (Call            *call);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, _kl_reports_page_call_free)

/* What an export file chooser asks for. */
typedef enum {
  CHOOSE_PDF,
  CHOOSE_CHART,
  CHOOSE_FIGURES,
  CHOOSE_XLSX,
} ChooseKind;

/* kl-reports-page.c: the choices and the preview */
void             _kl_reports_page_add_toast          (KlReportsPage   *self,
                                                      const char      *message);
GtkWindow       *_kl_reports_page_parent_window      (KlReportsPage   *self);
/* The letterhead and paper from Preferences, in the language chosen here. */
void             _kl_reports_page_load_options       (KlReportsPage   *self,
                                                      KlReportOptions *options);
const char      *_kl_reports_page_selected_customer_id (KlReportsPage *self);
const KlPeriod  *_kl_reports_page_selected_period    (KlReportsPage   *self);
void             _kl_reports_page_update_busy        (KlReportsPage   *self);
void             _kl_reports_page_request_build      (KlReportsPage   *self);

/* kl-reports-page-notes.c: comments and goals */
void             _kl_reports_page_set_buffer_text    (KlReportsPage   *self,
                                                      GtkTextView     *view,
                                                      const char      *text);
void             _kl_reports_page_update_notes_editor (KlReportsPage  *self);
void             _kl_reports_page_retarget_notes     (KlReportsPage   *self);
void             _kl_reports_page_notes_changed      (KlReportsPage   *self);
/* Saves typing still waiting; reply FALSE: nobody waits for the answer
 * (the page is going away). */
void             _kl_reports_page_save_notes_full    (KlReportsPage   *self,
                                                      gboolean         reply);
void             _kl_reports_page_save_notes         (KlReportsPage   *self);

/* kl-reports-page-export.c: files */
void             _kl_reports_page_choose_export_file (KlReportsPage   *self,
                                                      ChooseKind       kind);

/* kl-reports-page-email.c: Email to Client */
void             _kl_reports_page_class_add_email_actions (GtkWidgetClass *widget_class);
void             _kl_reports_page_update_email_actions (KlReportsPage *self);
void             _kl_reports_page_email_dispose      (KlReportsPage   *self);

/* kl-reports-page-actions.c: printing and actions */
void             _kl_reports_page_class_add_actions  (GtkWidgetClass  *widget_class);
void             _kl_reports_page_start_print        (KlReportsPage   *self);
void             _kl_reports_page_update_actions     (KlReportsPage   *self);
void             _kl_reports_page_update_view_controls (KlReportsPage *self);

G_END_DECLS
