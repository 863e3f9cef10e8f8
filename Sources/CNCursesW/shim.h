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

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
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

// MARK: Job control
//
// The `e` key runs the editor as the terminal's foreground job (ForegroundJob.swift): spawned
// into a process group of its own, handed the terminal, waited for. Swift reaches neither
// posix_spawn's flags nor waitpid's status macros.

extern char **environ;

/// posix_spawn of `path` with `argv` and this process's environment, as the leader of a new
/// process group (its group id is its pid), with every signal at its default action and none
/// blocked: the TUI ignores or blocks some, and ignored and blocked signals survive exec.
/// Returns 0 and sets *pid, or an errno value.
static inline int cnc_spawn_process_group(const char *path, char *const argv[], pid_t *pid) {
    posix_spawnattr_t attributes;
    int failed = posix_spawnattr_init(&attributes);
    if (failed) return failed;
    sigset_t all, none;
    sigfillset(&all);
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attributes, &all);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    failed = posix_spawn(pid, path, NULL, &attributes, argv, environ);
    posix_spawnattr_destroy(&attributes);
    return failed;
}

/// tcsetpgrp(descriptor, group) with SIGTTOU blocked on this thread for the call: a process
/// that is not in the foreground (the TUI, while its editor has the terminal) is otherwise
/// stopped by the kernel when it asks for the terminal back. 0, or -1 with errno.
static inline int cnc_set_foreground_group(int descriptor, pid_t group) {
    sigset_t ttou, previous;
    sigemptyset(&ttou);
    sigaddset(&ttou, SIGTTOU);
    pthread_sigmask(SIG_BLOCK, &ttou, &previous);
    int result = tcsetpgrp(descriptor, group);
    int saved = errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    errno = saved;
    return result;
}

/// What happened to a child, from one waitpid.
#define CNC_CHILD_RUNNING 0
#define CNC_CHILD_EXITED 1   /* value: exit status */
#define CNC_CHILD_KILLED 2   /* value: the signal */
#define CNC_CHILD_STOPPED 3  /* value: the signal */
#define CNC_CHILD_ERROR -1   /* value: errno */

/// waitpid(pid, WUNTRACED | WNOHANG) decoded (the W* macros do not import into Swift).
static inline int cnc_poll_child(pid_t pid, int *value) {
    int status = 0;
    pid_t result;
    do { result = waitpid(pid, &status, WUNTRACED | WNOHANG); } while (result == -1 && errno == EINTR);
    if (result == -1) { *value = errno; return CNC_CHILD_ERROR; }
    if (result == 0) { *value = 0; return CNC_CHILD_RUNNING; }
    if (WIFEXITED(status)) { *value = WEXITSTATUS(status); return CNC_CHILD_EXITED; }
    if (WIFSIGNALED(status)) { *value = WTERMSIG(status); return CNC_CHILD_KILLED; }
    if (WIFSTOPPED(status)) { *value = WSTOPSIG(status); return CNC_CHILD_STOPPED; }
    *value = 0;
    return CNC_CHILD_RUNNING;
}

/// Whether the terminal on `descriptor` is gone (hung up, closed, or an error): waits up to
/// `milliseconds` for that, asking for no data, so input waiting for another process is left
/// alone. 1 when gone, 0 when not (or the wait was interrupted).
static inline int cnc_terminal_gone(int descriptor, int milliseconds) {
    struct pollfd entry;
    entry.fd = descriptor;
    entry.events = 0;
    entry.revents = 0;
    int ready = poll(&entry, 1, milliseconds);
    return ready > 0 && (entry.revents & (POLLHUP | POLLERR | POLLNVAL)) ? 1 : 0;
}

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

/// What the crash handler writes back: the terminal's modes from before curses started, and
/// the bytes that undo what curses set on the screen (leave the alternate screen, plain
/// attributes, keypad off, cursor shown), kept from the terminal's own terminfo entry. Saved
/// ahead, so the handler itself only calls tcsetattr and write, which are async-signal-safe
/// (endwin is not: it takes stdio's locks, which the crashed thread may hold).
typedef struct {
    volatile sig_atomic_t has_modes;
    volatile sig_atomic_t armed;
    int descriptor;
    struct termios modes;
    size_t reset_length;
    char reset[256];
} cnc_crash_restore_state;

static inline cnc_crash_restore_state *cnc_crash_state(void) {
    static cnc_crash_restore_state state;
    return &state;
}

static inline volatile sig_atomic_t *cnc_crash_restore_installed(void) {
    static volatile sig_atomic_t installed = 0;
    return &installed;
}

/// Puts the terminal back as it was before curses, if curses has it now (not when it is
/// suspended for the editor, or not started). Async-signal-safe.
static inline void cnc_crash_restore_terminal(void) {
    cnc_crash_restore_state *state = cnc_crash_state();
    // Not armed, curses suspended (the editor has the terminal), or the screen already freed.
    if (!state->armed || cur_term == NULL || isendwin()) return;
    if (state->reset_length > 0) {
        size_t written = 0;
        while (written < state->reset_length) {
            ssize_t n = write(STDOUT_FILENO, state->reset + written, state->reset_length - written);
            if (n <= 0) break;
            written += (size_t)n;
        }
    }
    if (state->has_modes) tcsetattr(state->descriptor, TCSANOW, &state->modes);
}

/// Restores the terminal, then lets the signal do what it does by default (end the process,
/// with a core dump where the system keeps them), so the exit status names the signal. The
/// Swift runtime's backtracer is deliberately not chained to: it waits on the terminal and its
/// helper, and left the TUI alive and spinning instead of ending it.
static inline void cnc_crash_restore_handler(int signo, siginfo_t *info, void *context) {
    (void)context;
    cnc_crash_restore_terminal();
    struct sigaction fallback;
    memset(&fallback, 0, sizeof fallback);
    fallback.sa_handler = SIG_DFL;
    sigemptyset(&fallback.sa_mask);
    sigaction(signo, &fallback, NULL);
    // A fault raised by the CPU (si_code > 0) repeats when the handler returns, now reaching
    // the default action; a sent signal (abort, kill) must be raised again. It stays pending
    // until the handler returns, as the signal is blocked while it runs.
    if (info == NULL || info->si_code <= 0) raise(signo);
}

/// The actions in place before ours, put back by cnc_uninstall_crash_restore.
static inline struct sigaction *cnc_previous_fatal_actions(void) {
    static struct sigaction previous[CNC_FATAL_SIGNAL_COUNT];
    return previous;
}

/// Installs cnc_crash_restore_handler for SIGSEGV, SIGBUS, SIGFPE, SIGILL and SIGABRT, once,
/// and saves the terminal's modes now (before curses changes them).
static inline void cnc_install_crash_restore(void) {
    volatile sig_atomic_t *installed = cnc_crash_restore_installed();
    if (*installed) return;
    cnc_crash_restore_state *state = cnc_crash_state();
    state->descriptor = isatty(STDIN_FILENO) ? STDIN_FILENO : STDOUT_FILENO;
    state->has_modes = tcgetattr(state->descriptor, &state->modes) == 0;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = cnc_crash_restore_handler;
    // SA_ONSTACK: a stack overflow can only be handled on an alternate stack, if one is set.
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    // tcsetattr from a process outside the terminal's foreground group would stop it (SIGTTOU)
    // instead of letting it end.
    sigaddset(&action.sa_mask, SIGTTOU);
    struct sigaction *previous = cnc_previous_fatal_actions();
    for (int i = 0; i < CNC_FATAL_SIGNAL_COUNT; i++) {
        memset(&previous[i], 0, sizeof previous[i]); // SIG_DFL, should sigaction fail
        sigaction(cnc_fatal_signal(i), &action, &previous[i]);
    }
    *installed = 1;
}

/// Appends terminfo capability `name` (if the terminal has it) to the reset bytes.
static inline void cnc_crash_append_capability(cnc_crash_restore_state *state, const char *name) {
    char *value = tigetstr(name);
    if (value == NULL || value == (char *)-1) return;
    size_t length = strlen(value);
    if (state->reset_length + length > sizeof state->reset) return;
    memcpy(state->reset + state->reset_length, value, length);
    state->reset_length += length;
}

/// Called once curses has the terminal (after newterm): keeps the bytes that undo its screen
/// modes and arms the handler's restore.
static inline void cnc_arm_crash_restore(void) {
    cnc_crash_restore_state *state = cnc_crash_state();
    state->armed = 0;
    state->reset_length = 0;
    cnc_crash_append_capability(state, "sgr0");
    cnc_crash_append_capability(state, "rmkx");
    cnc_crash_append_capability(state, "rmcup");
    cnc_crash_append_capability(state, "cnorm");
    state->armed = 1;
}

/// Puts back the actions that cnc_install_crash_restore replaced.
static inline void cnc_uninstall_crash_restore(void) {
    volatile sig_atomic_t *installed = cnc_crash_restore_installed();
    if (!*installed) return;
    cnc_crash_state()->armed = 0;
    struct sigaction *previous = cnc_previous_fatal_actions();
    for (int i = 0; i < CNC_FATAL_SIGNAL_COUNT; i++) {
        sigaction(cnc_fatal_signal(i), &previous[i], NULL);
    }
    *installed = 0;
}

#endif
