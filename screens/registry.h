/* The workstation's screens (registry.c), which cobro's main hands to the
 * screen manager and to cobro --keys. */
#ifndef COBRO_REGISTRY_H
#define COBRO_REGISTRY_H

#include "screen.h"

extern const struct screen_registry cobro_screens;

#endif
