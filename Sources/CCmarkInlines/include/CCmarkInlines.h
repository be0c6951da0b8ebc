#ifndef EVIDENT_CCMARK_INLINES_H
#define EVIDENT_CCMARK_INLINES_H

/// How many times cmark-gfm asked to take its extensions' special characters out of its
/// process-wide table and was let keep them (see inlines.c): a test that the replacement
/// is the function cmark-gfm calls. Calling it also links this file into the program.
long evident_cmark_kept_special_characters(void);

#endif
