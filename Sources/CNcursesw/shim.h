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
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

// Wrappers for what Swift cannot import: macros with arguments, attribute bit macros, and C
// globals (which Swift 6 rejects as shared mutable state).

static inline WINDOW *batchtop_stdscr(void) { return stdscr; }
static inline int batchtop_lines(void) { return LINES; }
static inline int batchtop_cols(void) { return COLS; }
static inline int batchtop_colors(void) { return COLORS; }
static inline int batchtop_color_pairs(void) { return COLOR_PAIRS; }

static inline attr_t batchtop_attr_bold(void) { return A_BOLD; }
static inline attr_t batchtop_attr_dim(void) { return A_DIM; }
static inline attr_t batchtop_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t batchtop_attr_reverse(void) { return A_REVERSE; }
static inline attr_t batchtop_attr_italic(void) { return A_ITALIC; }
static inline int batchtop_key_f0(void) { return KEY_F0; }

/// Opens the terminal on stdin/stdout; NULL when TERM is unknown (newterm, unlike initscr, does not exit).
static inline SCREEN *batchtop_newterm(void) { return newterm(NULL, stdout, stdin); }

/// Draws one grapheme (NUL-terminated wide string) at (y, x) with attributes and a colour pair.
static inline int batchtop_put_cell(int y, int x, const wchar_t *wch, attr_t attrs, int pair) {
    cchar_t c;
    // The int pointer in the last argument carries pairs above 32767 (ncurses extended colours).
    if (setcchar(&c, wch, attrs, (short)(pair < 32767 ? pair : 0), &pair) != OK) return ERR;
    return mvwadd_wch(stdscr, y, x, &c);
}

/// Reads one key with a timeout in milliseconds; returns wget_wch's result code and the key.
static inline int batchtop_read_key(int timeout_ms, wint_t *out) {
    wtimeout(stdscr, timeout_ms);
    return wget_wch(stdscr, out);
}

/// The last mouse event: button state and cell; 0 when there was none.
static inline int batchtop_mouse(int *x, int *y, unsigned long *buttons) {
    MEVENT ev;
    if (getmouse(&ev) != OK) return 0;
    *x = ev.x; *y = ev.y; *buttons = (unsigned long)ev.bstate;
    return 1;
}
static inline unsigned long batchtop_mouse_button1_clicked(void) { return BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED; }
static inline unsigned long batchtop_mouse_wheel_up(void) { return BUTTON4_PRESSED; }
static inline unsigned long batchtop_mouse_wheel_down(void) {
#ifdef BUTTON5_PRESSED
    return BUTTON5_PRESSED;
#else
    return 0;
#endif
}
static inline void batchtop_enable_mouse(void) {
    mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
              | BUTTON5_PRESSED
#endif
              , NULL);
    mouseinterval(0);
}

// ---- Signal safety -------------------------------------------------------------------------
// Rule: everything below is used from ONE Swift file (Sources/Terminal/SignalGuard.swift), why:
// the state is a static with internal linkage, so each Swift object file that calls these
// functions gets its own copy of it.
//
// Quit signals (SIGINT, SIGTERM, SIGHUP, SIGQUIT) only set a flag, which the event loop turns into a
// clean quit that calls endwin. SIGQUIT (Ctrl+backslash on the keyboard) is one of them because otherwise
// Swift's runtime backtracer takes it and paints a crash report over the screen. Fatal signals
// (SIGSEGV, SIGILL, SIGTRAP from a Swift trap, SIGABRT, ...) cannot run endwin safely, so they write the precomputed terminfo restore sequence with write(2)
// and restore the saved termios (both async-signal-safe), then re-raise with the default action.
// SIGTSTP (Ctrl-Z) is left to ncurses, whose handler does endwin, stops, and repaints on SIGCONT.

/// All signal state in one place; a function-local static, because Swift's importer emits the
/// functions of this header but not file-scope variables.
struct batchtop_signal_state {
    volatile sig_atomic_t pending_signal;
    volatile sig_atomic_t screen_active;
    char restore_seq[512];
    size_t restore_len;
    struct termios saved_termios;
    int have_termios;
};

static inline struct batchtop_signal_state *batchtop_signals(void) {
    static struct batchtop_signal_state state;
    return &state;
}

static void batchtop_on_quit_signal(int sig) { batchtop_signals()->pending_signal = sig; }

static void batchtop_on_fatal_signal(int sig) {
    struct batchtop_signal_state *st = batchtop_signals();
    if (st->screen_active) {
        ssize_t ignored = write(STDOUT_FILENO, st->restore_seq, st->restore_len);
        (void)ignored;
        if (st->have_termios) tcsetattr(STDIN_FILENO, TCSAFLUSH, &st->saved_termios);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

/// Saves the terminal modes before ncurses changes them.
static inline void batchtop_save_termios(void) {
    struct batchtop_signal_state *st = batchtop_signals();
    st->have_termios = tcgetattr(STDIN_FILENO, &st->saved_termios) == 0;
}

static inline void batchtop_append_cap(const char *name) {
    char *s = tigetstr((char *)name);
    if (s == NULL || s == (char *)-1) return;
    size_t n = strlen(s);
    struct batchtop_signal_state *st = batchtop_signals();
    if (st->restore_len + n >= sizeof st->restore_seq) return;
    memcpy(st->restore_seq + st->restore_len, s, n);
    st->restore_len += n;
}

/// Precomputes what a fatal-signal handler writes: leave the alternate screen, show the cursor,
/// reset attributes. Call after newterm (terminfo must be loaded).
static inline void batchtop_capture_restore_sequence(void) {
    batchtop_signals()->restore_len = 0;
    batchtop_append_cap("sgr0");
    batchtop_append_cap("cnorm");
    batchtop_append_cap("rmcup");
}

static void batchtop_at_exit(void) {
    // exit() from anywhere (an argument parser, a library) must not leave the alternate screen up.
    if (batchtop_signals()->screen_active) {
        batchtop_signals()->screen_active = 0;
        endwin();
    }
}

static inline void batchtop_install_signal_handlers(void) {
    static int registered = 0;
    if (!registered) {
        registered = 1;
        atexit(batchtop_at_exit);
    }
    struct sigaction quit;
    memset(&quit, 0, sizeof quit);
    quit.sa_handler = batchtop_on_quit_signal;
    sigemptyset(&quit.sa_mask);
    sigaction(SIGINT, &quit, NULL);
    sigaction(SIGTERM, &quit, NULL);
    sigaction(SIGHUP, &quit, NULL);
    sigaction(SIGQUIT, &quit, NULL);
    struct sigaction fatal;
    memset(&fatal, 0, sizeof fatal);
    fatal.sa_handler = batchtop_on_fatal_signal;
    sigemptyset(&fatal.sa_mask);
    fatal.sa_flags = SA_RESETHAND;
    int fatals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP};
    for (unsigned i = 0; i < sizeof fatals / sizeof fatals[0]; i++) sigaction(fatals[i], &fatal, NULL);
}

static inline void batchtop_restore_signal_handlers(void) {
    int all[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP};
    for (unsigned i = 0; i < sizeof all / sizeof all[0]; i++) signal(all[i], SIG_DFL);
}

static inline void batchtop_set_screen_active(int active) { batchtop_signals()->screen_active = active; }

/// The quit signal received since the last call (0 for none), cleared by reading.
static inline int batchtop_take_signal(void) {
    struct batchtop_signal_state *st = batchtop_signals();
    int s = st->pending_signal;
    st->pending_signal = 0;
    return s;
}
#endif
