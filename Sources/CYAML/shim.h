#ifndef EVIDENT_CYAML_SHIM_H
#define EVIDENT_CYAML_SHIM_H
#include <yaml.h>
#endif
