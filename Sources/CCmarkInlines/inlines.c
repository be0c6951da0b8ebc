// cmark-gfm 0.29 keeps the characters that start an extension's inline syntax (for the
// autolink extension, ':' and 'w') in one table for the whole process. Each parse adds
// its extensions' characters when it starts parsing inlines and takes them out again when
// it is done. With two parses on two threads, the first to finish takes them out under
// the other, which then reads `www.example.com` and bare URLs as plain text: a check's
// links depended on timing. Every parser Evident makes attaches the same extension, so
// the characters may as well stay: this file defines the one function cmark-gfm calls to
// add or remove them (it calls it through its own PLT, so the executable's definition
// comes first), passes additions on, and drops removals.
#define _GNU_SOURCE
#include "CCmarkInlines.h"

#include <dlfcn.h>
#include <stdatomic.h>
#include <stddef.h>

static atomic_long kept;

long evident_cmark_kept_special_characters(void) { return atomic_load(&kept); }

typedef void (*manage_characters)(void *, int);

void cmark_manage_extensions_special_characters(void *parser, int add) {
    if (!add) {
        atomic_fetch_add(&kept, 1);
        return;
    }
    static _Atomic(manage_characters) next;
    manage_characters found = atomic_load(&next);
    if (found == NULL) {
        found = (manage_characters)dlsym(RTLD_NEXT, "cmark_manage_extensions_special_characters");
        if (found == NULL) return;
        atomic_store(&next, found);
    }
    found(parser, add);
}
