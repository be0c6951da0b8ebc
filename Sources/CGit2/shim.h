#ifndef EVIDENT_CGIT2_SHIM_H
#define EVIDENT_CGIT2_SHIM_H
#include <git2.h>
#include <git2/sys/commit.h>

/// git_libgit2_opts is variadic, which Swift cannot call: reset one config level's
/// search path so libgit2 derives it from the environment ($HOME, XDG) again.
static inline int evident_git_reset_config_search_path(int level) {
    return git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, (const char *)0);
}

/// Whether libgit2 hashes every object it reads again to compare with its id (variadic,
/// as above).
static inline int evident_git_set_strict_hash_verification(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}

/// The largest tree libgit2 keeps in its object cache once read (variadic, as above).
static inline int evident_git_cache_trees_up_to(size_t bytes) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, bytes);
}
#endif
