// libgit2 1.5, as Debian builds it (with mbed TLS), decodes the whole system CA bundle
// inside git_libgit2_init(): some 50 million instructions, a fifth of a pre-commit check
// or a sign-off, for HTTPS that Evident never uses (it reads and writes local
// repositories only). libgit2 has no switch for it, so this file defines the one mbed TLS
// function it calls for that, `mbedtls_x509_crt_parse_file`. The executable's definition
// comes first in the dynamic linker's search, so libgit2 calls this one. While Evident
// initialises libgit2 it answers "cannot read the file", which libgit2 takes as "no CA
// certificates" without failing; at any other time it calls mbed TLS's own function, so
// setting certificate locations later (GIT_OPT_SET_SSL_CERT_LOCATIONS) works as before.
#define _GNU_SOURCE
#include "CGit2Startup.h"

#include <dlfcn.h>
#include <stdatomic.h>
#include <stddef.h>

// mbed TLS's MBEDTLS_ERR_X509_FILE_IO_ERROR.
#define FILE_IO_ERROR (-0x2900)

static atomic_int skipping;
static atomic_int skipped;

void evident_skip_ca_bundle(int skip) { atomic_store(&skipping, skip != 0); }

int evident_skipped_ca_bundles(void) { return atomic_load(&skipped); }

typedef int (*parse_file)(void *, const char *);

int mbedtls_x509_crt_parse_file(void *chain, const char *path) {
    if (atomic_load(&skipping)) {
        atomic_fetch_add(&skipped, 1);
        return FILE_IO_ERROR;
    }
    parse_file next = (parse_file)dlsym(RTLD_NEXT, "mbedtls_x509_crt_parse_file");
    if (next == NULL) return FILE_IO_ERROR;
    return next(chain, path);
}

int evident_parse_certificate_file(void *chain, const char *path) { return mbedtls_x509_crt_parse_file(chain, path); }
