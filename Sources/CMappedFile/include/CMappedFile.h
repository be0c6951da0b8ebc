#ifndef EVIDENT_CMAPPED_FILE_H
#define EVIDENT_CMAPPED_FILE_H

#include <stddef.h>

/// Maps the first `size` bytes of the open regular file `descriptor` read-only and private,
/// with its pages mapped at once (MAP_POPULATE). Returns NULL (errno set) when it cannot.
///
/// A file that shrinks while mapped would raise SIGBUS on the next read past its new end;
/// inside such a mapping that read instead finds zeros (see mapped_file.c) and the mapping
/// is marked changed, so callers can refuse what they read from it.
const void *evident_map_file(int descriptor, size_t size);

/// Unmaps a mapping `evident_map_file` returned.
void evident_unmap_file(const void *address, size_t size);

/// 1 when a page of the mapping at `address` was replaced because its file shrank, else 0.
int evident_mapped_file_changed(const void *address);

/// How many pages of any mapping were replaced so far in this process.
long evident_mapped_file_replaced_pages(void);

#endif
