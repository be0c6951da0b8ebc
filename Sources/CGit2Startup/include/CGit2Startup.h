#ifndef EVIDENT_CGIT2_STARTUP_H
#define EVIDENT_CGIT2_STARTUP_H

/// While set, libgit2's start-up does not decode the system CA bundle (see startup.c).
void evident_skip_ca_bundle(int skip);

/// How many times a CA bundle was left undecoded: a test that the replacement is the
/// function libgit2 calls.
int evident_skipped_ca_bundles(void);

/// Calls the replacement as libgit2 would, for tests: with skipping off it must reach
/// mbed TLS's own function.
int evident_parse_certificate_file(void *chain, const char *path);

#endif
