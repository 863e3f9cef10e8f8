// The system ncursesw (Debian: libncurses-dev; libncursesw.so is a linker script that also pulls
// in libtinfo). Swift cannot import function-like macros, and Swift 6 rejects the mutable C
// globals (stdscr, LINES, COLS, COLORS, stdout), so every such use goes through an inline wrapper
// here. The wrappers that act on a window always act on stdscr: the TUI draws into one window,
// and Swift then never has to name the WINDOW type.
#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H

// Without these the wide-character API (get_wch, cchar_t, …) is not declared.
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1

#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

// MARK: Globals

static inline WINDOW *cnc_stdscr(void) { return stdscr; }
static inline int cnc_lines(void) { return LINES; }
static inline int cnc_cols(void) { return COLS; }
static inline int cnc_colors(void) { return COLORS; }
static inline int cnc_color_pairs(void) { return COLOR_PAIRS; }
static inline FILE *cnc_stdout(void) { return stdout; }
static inline FILE *cnc_stdin(void) { return stdin; }

/// The locale's character set ("UTF-8", "ANSI_X3.4-1968", …); valid after setlocale.
static inline const char *cnc_codeset(void) { return nl_langinfo(CODESET); }

/// The colours terminfo lists for `term` (-1 when it has no entry), without starting curses
/// and without printing anything.
static inline int cnc_terminfo_colors(const char *term) {
    int error = 0;
    TERMINAL *saved = cur_term;
    if (setupterm(term, -1, &error) != OK) { cur_term = saved; return -1; }
    int colors = tigetnum("colors");
    del_curterm(cur_term);
    cur_term = saved;
    return colors < 0 ? 0 : colors;
}

// MARK: Attributes and colours

static inline attr_t cnc_a_normal(void) { return (attr_t)A_NORMAL; }
static inline attr_t cnc_a_bold(void) { return (attr_t)A_BOLD; }
static inline attr_t cnc_a_reverse(void) { return (attr_t)A_REVERSE; }
static inline attr_t cnc_a_dim(void) { return (attr_t)A_DIM; }
static inline attr_t cnc_a_underline(void) { return (attr_t)A_UNDERLINE; }
static inline int cnc_color_pair(int pair) { return (int)COLOR_PAIR(pair); }

/// Sets the attributes and colour pair that the next writes to stdscr use. The pair travels
/// separately from the attributes so pairs above 255 work too.
static inline int cnc_set_style(attr_t attributes, short pair) {
    return wattr_set(stdscr, attributes, pair, NULL);
}

// MARK: stdscr

static inline int cnc_keypad(int enabled) { return keypad(stdscr, enabled ? TRUE : FALSE); }
static inline void cnc_timeout(int milliseconds) { wtimeout(stdscr, milliseconds); }
static inline int cnc_erase(void) { return werase(stdscr); }
static inline int cnc_clearok(int enabled) { return clearok(stdscr, enabled ? TRUE : FALSE); }
static inline int cnc_noutrefresh(void) { return wnoutrefresh(stdscr); }
static inline int cnc_refresh(void) { return wrefresh(stdscr); }
/// Where curses believes the terminal's cursor is (curscr's cursor).
static inline void cnc_physical_cursor(int *y, int *x) { int a, b; getyx(curscr, a, b); *y = a; *x = b; }
/// Tells curses that rows beg ..< beg + num are garbled: the next refresh rewrites them whole.
static inline int cnc_redrawln(int beg, int num) { return wredrawln(stdscr, beg, num); }
static inline void cnc_getmaxyx(int *y, int *x) { int a, b; getmaxyx(stdscr, a, b); *y = a; *x = b; }

/// Writes UTF-8 text at (y, x); ncursesw decodes it with the locale set by setlocale.
static inline int cnc_put(int y, int x, const char *text) { return mvwaddstr(stdscr, y, x, text); }

/// Inserts UTF-8 text at (y, x). Used for the bottom-right cell: adding a character there moves
/// the cursor past the end of the screen, while inserting does not.
static inline int cnc_insert(int y, int x, const char *text) { return mvwinsstr(stdscr, y, x, text); }

// MARK: Input

/// What one get_wch returned.
#define CNC_INPUT_NONE 0      /* timeout (ERR) */
#define CNC_INPUT_CHARACTER 1 /* code is a character (OK) */
#define CNC_INPUT_KEY 2       /* code is a KEY_* value (KEY_CODE_YES) */

typedef struct {
    int kind;
    unsigned int code;
} cnc_input;

static inline int cnc_get_wch(wint_t *code) { return wget_wch(stdscr, code); }

static inline cnc_input cnc_read_input(void) {
    wint_t code = 0;
    int status = wget_wch(stdscr, &code);
    cnc_input input;
    input.kind = status == KEY_CODE_YES ? CNC_INPUT_KEY : (status == OK ? CNC_INPUT_CHARACTER : CNC_INPUT_NONE);
    input.code = (unsigned int)code;
    return input;
}

static inline int cnc_key_f(int n) { return KEY_F(n); }

// MARK: Signals and exit
//
// The functions below keep state in static storage. A header's statics exist once per object
// file that uses them, so install and uninstall must be called from one Swift file
// (TerminalGuard.swift): the handler installed and the saved actions it reads then always
// belong together.

static inline void cnc_ignore_signal(int signo) { signal(signo, SIG_IGN); }
static inline void cnc_default_signal(int signo) { signal(signo, SIG_DFL); }

/// Restores the terminal unless curses is already ended (a second endwin garbles the shell
/// prompt). Harmless when no screen exists: endwin then returns ERR and writes nothing.
static inline void cnc_restore_terminal(void) {
    if (!isendwin()) endwin();
}

/// Registers cnc_restore_terminal with atexit, once.
static inline void cnc_install_exit_restore(void) {
    static int registered = 0;
    if (!registered) {
        registered = 1;
        atexit(cnc_restore_terminal);
    }
}

#define CNC_FATAL_SIGNAL_COUNT 5

static inline int cnc_fatal_signal(int index) {
    switch (index) {
    case 0: return SIGSEGV;
    case 1: return SIGBUS;
    case 2: return SIGFPE;
    case 3: return SIGILL;
    default: return SIGABRT;
    }
}

/// The actions in place before ours (SIG_DFL, or the Swift runtime's backtracer), so a crash
/// still ends the way it would have: core dump or backtrace, on a usable terminal.
static inline struct sigaction *cnc_previous_fatal_actions(void) {
    static struct sigaction previous[CNC_FATAL_SIGNAL_COUNT];
    return previous;
}

static inline volatile sig_atomic_t *cnc_crash_restore_installed(void) {
    static volatile sig_atomic_t installed = 0;
    return &installed;
}

/// Written in C rather than Swift: a signal handler must not allocate, retain or take locks,
/// which Swift code cannot promise. endwin itself is not async-signal-safe, but the process is
/// dying anyway and a terminal left in raw mode is the worse outcome (ncurses does the same).
static inline void cnc_crash_restore_handler(int signo, siginfo_t *info, void *context) {
    (void)context;
    if (!isendwin()) endwin();
    struct sigaction *previous = cnc_previous_fatal_actions();
    int chained = 0;
    for (int i = 0; i < CNC_FATAL_SIGNAL_COUNT; i++) {
        if (cnc_fatal_signal(i) == signo) {
            sigaction(signo, &previous[i], NULL);
            chained = 1;
        }
    }
    if (!chained) signal(signo, SIG_DFL);
    // A fault raised by the CPU (si_code > 0) repeats when the handler returns, now reaching
    // the previous action with its real siginfo; a sent signal (abort, kill) must be raised again.
    if (info == NULL || info->si_code <= 0) raise(signo);
}

/// Installs cnc_crash_restore_handler for SIGSEGV, SIGBUS, SIGFPE, SIGILL and SIGABRT, once.
static inline void cnc_install_crash_restore(void) {
    volatile sig_atomic_t *installed = cnc_crash_restore_installed();
    if (*installed) return;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = cnc_crash_restore_handler;
    // SA_ONSTACK: a stack overflow can only be handled on an alternate stack, if one is set.
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    struct sigaction *previous = cnc_previous_fatal_actions();
    for (int i = 0; i < CNC_FATAL_SIGNAL_COUNT; i++) {
        memset(&previous[i], 0, sizeof previous[i]); // SIG_DFL, should sigaction fail
        sigaction(cnc_fatal_signal(i), &action, &previous[i]);
    }
    *installed = 1;
}

/// Puts back the actions that cnc_install_crash_restore replaced.
static inline void cnc_uninstall_crash_restore(void) {
    volatile sig_atomic_t *installed = cnc_crash_restore_installed();
    if (!*installed) return;
    struct sigaction *previous = cnc_previous_fatal_actions();
    for (int i = 0; i < CNC_FATAL_SIGNAL_COUNT; i++) {
        sigaction(cnc_fatal_signal(i), &previous[i], NULL);
    }
    *installed = 0;
}

#endif
