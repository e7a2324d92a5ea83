/* How an entry is shown: its kind, its expiry, its list --json object
 * (the schema README documents). Never its value. */
#ifndef FBV_ENTRY_TEXT_H
#define FBV_ENTRY_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../vault/entries.h"

/* The kind metadata, "secret" when there is none; not NUL-terminated. */
const char *entry_kind(const struct entry *e, size_t *len);
/* Whether its kind is one of the tokens login stores. */
bool entry_is_token(const struct entry *e);
/* That, or a plain secret named like one (page/ID, user-token): put by
 * hand. Never the App Secret or the App ID. */
bool entry_holds_token(const struct entry *e);
void entry_json(FILE *f, const struct entry *e);
/* "never", "-" (unknown) or the time it expires. */
void expiry_text(const struct entry *e, char *buf, size_t len);

#endif
