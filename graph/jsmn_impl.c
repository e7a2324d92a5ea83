/* The one copy of jsmn's implementation. Every other file goes through
 * json.h and never sees jsmn; the defines here fix the token layout. */
#define JSMN_STRICT
#define JSMN_PARENT_LINKS
#include <jsmn.h>
