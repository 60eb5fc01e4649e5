#ifndef BATCHTOP_CNCURSESW_SHIM_H
#define BATCHTOP_CNCURSESW_SHIM_H
// Wide-character ncurses needs these defined before the header is read.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <ncursesw/curses.h>
#endif
