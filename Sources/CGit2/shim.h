#ifndef EVIDENT_CGIT2_SHIM_H
#define EVIDENT_CGIT2_SHIM_H
#include <git2.h>
#include <git2/sys/commit.h>
#endif
