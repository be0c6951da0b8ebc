// Read-only file mappings that survive their file being truncated.
//
// Git maps its index and accepts that a file truncated in place kills the reader with
// SIGBUS. Evident's own reader keeps the mapping for the whole command (entries are
// decoded when asked for), so it guards it instead: a SIGBUS whose address lies inside
// a registered mapping replaces the missing page with a zero-filled one and marks the
// mapping changed; the command then refuses its result (see GitRepository+Index.swift).
// A SIGBUS anywhere else goes to the handler installed before this one.

#define _GNU_SOURCE
#include "CMappedFile.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { slot_count = 64 };

struct slot {
    _Atomic uintptr_t start;  // 0 while free
    _Atomic size_t length;
    atomic_int changed;
};

static struct slot slots[slot_count];
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;
static struct sigaction previous_action;
static atomic_int installed;
static atomic_long replaced_pages;
static uintptr_t page_size;

static void on_bus_error(int signal_number, siginfo_t *info, void *context) {
    uintptr_t address = (uintptr_t)info->si_addr;
    for (int index = 0; index < slot_count; index++) {
        uintptr_t start = atomic_load(&slots[index].start);
        size_t length = atomic_load(&slots[index].length);
        if (start == 0 || address < start || address - start >= length) continue;
        uintptr_t page = address & ~(page_size - 1);
        // mmap is a plain system call on Linux, safe in a signal handler.
        void *zeros = mmap((void *)page, page_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        if (zeros == MAP_FAILED) break;
        atomic_store(&slots[index].changed, 1);
        atomic_fetch_add(&replaced_pages, 1);
        return;
    }
    // Not ours: restore the previous handler; the faulting access runs again and
    // reaches it (or the default action).
    sigaction(SIGBUS, &previous_action, NULL);
    (void)signal_number;
    (void)context;
}

static void install(void) {
    page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_bus_error;
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGBUS, &action, &previous_action) == 0) atomic_store(&installed, 1);
}

const void *evident_map_file(int descriptor, size_t size) {
    if (size == 0) {
        errno = EINVAL;
        return NULL;
    }
    pthread_once(&install_once, install);
    if (!atomic_load(&installed)) {
        errno = ENOTSUP;
        return NULL;
    }
#ifdef MAP_POPULATE
    int populate = MAP_POPULATE;  // Linux: the pages are mapped in this one call
#else
    int populate = 0;
#endif
    void *address = mmap(NULL, size, PROT_READ, MAP_PRIVATE | populate, descriptor, 0);
    if (address == MAP_FAILED) return NULL;
    pthread_mutex_lock(&slots_lock);
    for (int index = 0; index < slot_count; index++) {
        if (atomic_load(&slots[index].start) != 0) continue;
        atomic_store(&slots[index].changed, 0);
        atomic_store(&slots[index].length, size);
        atomic_store(&slots[index].start, (uintptr_t)address);
        pthread_mutex_unlock(&slots_lock);
        return address;
    }
    pthread_mutex_unlock(&slots_lock);
    // Every slot taken: an unguarded mapping is not handed out.
    munmap(address, size);
    errno = EMFILE;
    return NULL;
}

static struct slot *slot_of(const void *address) {
    for (int index = 0; index < slot_count; index++) {
        if (atomic_load(&slots[index].start) == (uintptr_t)address) return &slots[index];
    }
    return NULL;
}

void evident_unmap_file(const void *address, size_t size) {
    pthread_mutex_lock(&slots_lock);
    struct slot *slot = slot_of(address);
    if (slot != NULL) atomic_store(&slot->start, 0);
    pthread_mutex_unlock(&slots_lock);
    munmap((void *)address, size);
}

int evident_mapped_file_changed(const void *address) {
    struct slot *slot = slot_of(address);
    return slot != NULL && atomic_load(&slot->changed) != 0;
}

long evident_mapped_file_replaced_pages(void) { return atomic_load(&replaced_pages); }
