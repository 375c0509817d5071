/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One contact in the customer detail's Contacts page. */
#pragma once

#include <adwaita.h>
#include "kl-records.h"

G_BEGIN_DECLS

#define KL_TYPE_CONTACT_ROW (kl_contact_row_get_type ())
G_DECLARE_FINAL_TYPE (KlContactRow, kl_contact_row, KL, CONTACT_ROW, AdwActionRow)

GtkWidget       *kl_contact_row_new         (const KlContact *contact);

G_END_DECLS
