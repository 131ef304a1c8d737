/* The language of what a program says: gettext's domain "cobro" bound to
 * its catalogues ($COBRO_LOCALEDIR, else beside the binary, else the
 * directory compiled in). */
#ifndef COBRO_LANG_H
#define COBRO_LANG_H

/* Sets the locale from the environment and binds the catalogues. language
 * ("es", "en"; NULL or "": the environment's) wins over the locale's, for
 * messages only. A locale that is not installed keeps UTF-8 and the
 * language it names. */
void lang_setup(const char *language);

#endif
