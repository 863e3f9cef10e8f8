import CNCursesW
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why the terminal UI could not start.
public enum TerminalError: Error, CustomStringConvertible, Equatable {
    /// Standard input or output ("input", "output") is not a terminal.
    case notATerminal(stream: String)
    /// Neither $TERM nor the xterm-256color fallback has a terminfo entry.
    case unknownTerminal(term: String)

    public var description: String {
        switch self {
        case .notATerminal(let stream):
            "the terminal UI needs a terminal, but standard \(stream) is not one; run it directly in a terminal (not piped or redirected), or use the CLI commands instead"
        case .unknownTerminal(let term):
            "could not start the terminal UI: no terminfo entry for TERM=\(term), nor for \(CursesScreen.fallbackTerm); set TERM to a type this machine knows (see `toe -a`) or install its terminfo (Debian: ncurses-term)"
        }
    }
}

/// The ncurses backend: copies Frames to the terminal and reads keys. Every call happens on the
/// UI thread, so this class is deliberately not Sendable.
public final class CursesScreen {
    /// Whether the locale's codeset is UTF-8; when false, views should draw ASCII glyphs.
    public let isUTF8: Bool
    /// Colours the terminal offers, or 0 when drawing in monochrome (no colour support, or
    /// NO_COLOR set).
    public let colorCount: Int

    static let fallbackTerm = "xterm-256color"
    /// OSC 52 payloads beyond this are refused or truncated by most terminals and tmux.
    static let clipboardLimit = 100_000

    private(set) var screen: OpaquePointer?
    /// Whether use_default_colors worked, so -1 means the terminal's own colours.
    private let hasDefaultColors: Bool
    /// Pair numbers are Int here and Int16 only at init_pair, so counting past the last one
    /// cannot overflow.
    private let lastPair: Int
    private var pairs: [ColorPair: Int16] = [:]
    private var nextPair = 1
    private var previous: Frame?
    private var drawnScreenSize: (width: Int, height: Int)?
    private var needsFullRedraw = true
    private var lastRow = 0
    private var lastColumn = 0
    /// Empty reads in a row that came back well before the key timeout (see `readKey`).
    private var earlyEmptyReads = 0

    /// How long `readKey` waits for a key.
    static let keyTimeoutMilliseconds: Int32 = 50
    /// Empty reads in a row, each back before half the key timeout, that mean the input is dead
    /// though the terminal does not say it hung up (reads failing with EIO).
    static let deadInputReads = 8

    /// Whether the terminal's input has ended: it hung up, or reads keep failing at once. A
    /// read then returns immediately, every time, so the loop must stop reading (and end).
    public private(set) var inputEnded = false

    private struct ColorPair: Hashable {
        var foreground: Int16
        var background: Int16
    }

    private init(screen: OpaquePointer, isUTF8: Bool, colorCount: Int, hasDefaultColors: Bool, lastPair: Int) {
        self.screen = screen
        self.isUTF8 = isUTF8
        self.colorCount = colorCount
        self.hasDefaultColors = hasDefaultColors
        self.lastPair = lastPair
    }

    deinit { close() }

    // MARK: Opening

    /// Starts curses on the controlling terminal. `environment` supplies TERM and NO_COLOR.
    public static func open(environment: [String: String]) throws -> CursesScreen {
        guard isatty(STDIN_FILENO) == 1 else { throw TerminalError.notATerminal(stream: "input") }
        guard isatty(STDOUT_FILENO) == 1 else { throw TerminalError.notATerminal(stream: "output") }

        // Before anything else: ncursesw decodes and measures UTF-8 only under a UTF-8 locale.
        setlocale(LC_ALL, "")
        let codeset: UnsafePointer<CChar>? = cnc_codeset()
        let isUTF8 = codeset.map { isUTF8Codeset(String(cString: $0)) } ?? false

        // newterm, unlike initscr, returns NULL for an unknown TERM instead of exiting.
        let requested = environment["TERM"].flatMap { $0.isEmpty ? nil : $0 }
        var opened: OpaquePointer?
        if let requested {
            opened = newterm(requested, cnc_stdout(), cnc_stdin())
        }
        if opened == nil {
            // Also for child processes ($EDITOR), which should see the type actually in use.
            setenv("TERM", fallbackTerm, 1)
            opened = newterm(fallbackTerm, cnc_stdout(), cnc_stdin())
        }
        guard let screen = opened else { throw TerminalError.unknownTerminal(term: requested ?? "(unset)") }

        // raw rather than cbreak: ctrl-c, ctrl-z and ctrl-s reach the keymap as keys.
        raw()
        noecho()
        cnc_keypad(1)
        set_escdelay(25)
        curs_set(0)
        cnc_timeout(keyTimeoutMilliseconds)
        for (sequence, code) in extraKeySequences {
            define_key(sequence, code)
        }

        let noColor = NoColor.requested(by: environment)
        var colorCount = 0
        var hasDefaultColors = false
        if has_colors(), !noColor, start_color() == OK {
            colorCount = max(0, Int(cnc_colors()))
            hasDefaultColors = use_default_colors() == OK
        }
        // init_pair takes a short, whatever COLOR_PAIRS says.
        let pairCount = min(Int(cnc_color_pairs()), Int(Int16.max) + 1)
        return CursesScreen(
            screen: screen, isUTF8: isUTF8, colorCount: colorCount, hasDefaultColors: hasDefaultColors,
            lastPair: max(0, pairCount - 1))
    }

    /// Sequences some terminals send for cursor and editing keys that their terminfo entry
    /// (or a wrong TERM) does not list; without them they arrive as ESC plus letters.
    private static let extraKeySequences: [(String, Int32)] = [
        ("\u{1B}[A", KEY_UP), ("\u{1B}[B", KEY_DOWN), ("\u{1B}[C", KEY_RIGHT), ("\u{1B}[D", KEY_LEFT),
        ("\u{1B}OA", KEY_UP), ("\u{1B}OB", KEY_DOWN), ("\u{1B}OC", KEY_RIGHT), ("\u{1B}OD", KEY_LEFT),
        ("\u{1B}[H", KEY_HOME), ("\u{1B}[F", KEY_END), ("\u{1B}OH", KEY_HOME), ("\u{1B}OF", KEY_END),
        ("\u{1B}[1~", KEY_HOME), ("\u{1B}[4~", KEY_END), ("\u{1B}[7~", KEY_HOME), ("\u{1B}[8~", KEY_END),
        ("\u{1B}[5~", KEY_PPAGE), ("\u{1B}[6~", KEY_NPAGE), ("\u{1B}[3~", KEY_DC), ("\u{1B}[Z", KEY_BTAB),
        ("\u{1B}[1;2A", KEY_SR), ("\u{1B}[1;2B", KEY_SF), ("\u{1B}[1;2C", KEY_SRIGHT), ("\u{1B}[1;2D", KEY_SLEFT),
    ]

    static func isUTF8Codeset(_ codeset: String) -> Bool {
        codeset.uppercased().filter { $0 != "-" && $0 != "_" } == "UTF8"
    }

    // MARK: State

    /// The terminal's size in cells; ncurses updates it when it reports `.resize`.
    public var size: (width: Int, height: Int) {
        (max(0, Int(cnc_cols())), max(0, Int(cnc_lines())))
    }

    /// Leaves curses so another program (an $EDITOR) can use the terminal.
    public func suspend() {
        guard screen != nil, !isendwin() else { return }
        def_prog_mode()
        endwin()
    }

    /// Returns from `suspend`; the next `draw` repaints everything, since the other program
    /// left the screen in an unknown state.
    public func resume() {
        guard screen != nil else { return }
        reset_prog_mode()
        cnc_refresh()
        curs_set(0)
        needsFullRedraw = true
    }

    /// Ends curses and frees the screen. Safe to call more than once.
    public func close() {
        guard let screen else { return }
        if !isendwin() { endwin() }
        delscreen(screen)
        self.screen = nil
        previous = nil
    }

    // MARK: Input

    /// One key, or nil when the timeout passed without one (or the key has no `Key`); after
    /// the input ended (`inputEnded`), nil at once.
    public func readKey() -> Key? {
        guard screen != nil, !inputEnded else { return nil }
        let started = ContinuousClock.now
        let input = cnc_read_input()
        switch input.kind {
        case CNC_INPUT_KEY:
            earlyEmptyReads = 0
            return Self.key(forCode: Int32(bitPattern: input.code))
        case CNC_INPUT_CHARACTER:
            earlyEmptyReads = 0
            return Self.key(forCharacter: input.code)
        default:
            noteEmptyRead(after: ContinuousClock.now - started)
            return nil
        }
    }

    /// An empty read is a timeout, or — when it comes back well before the timeout — a signal,
    /// an error or end of file: curses reports all of them alike. The input has ended when the
    /// terminal says it hung up, or when reads keep failing at once.
    private func noteEmptyRead(after elapsed: Duration) {
        guard elapsed < .milliseconds(Self.keyTimeoutMilliseconds / 2) else {
            earlyEmptyReads = 0
            return
        }
        earlyEmptyReads += 1
        if cnc_terminal_gone(STDIN_FILENO, 0) == 1 || earlyEmptyReads >= Self.deadInputReads {
            inputEnded = true
        }
    }

    static func key(forCode code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_SR: return .shiftUp
        case KEY_SF: return .shiftDown
        case KEY_SLEFT: return .shiftLeft
        case KEY_SRIGHT: return .shiftRight
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        case KEY_RESIZE: return .resize
        default:
            let number = Int(code) - Int(KEY_F0)
            return Key.functionKeys.contains(number) ? .function(number) : nil
        }
    }

    static func key(forCharacter code: UInt32) -> Key? {
        switch code {
        case 10, 13: return .enter
        case 9: return .tab
        case 8, 127: return .backspace
        case 27: return .escape
        case 1...26: return .control(Character(Unicode.Scalar(UInt8(0x60 + code))))
        case 0x20...0x7E, 0xA0...: return Unicode.Scalar(code).map { Key.character(Character($0)) }
        default: return nil
        }
    }

    // MARK: Drawing

    /// Shows `frame`, writing only the cells that changed since the previous one (all of them
    /// after a resize, a `resume`, or on the first draw). Returns whether it repainted everything.
    @discardableResult
    public func draw(_ frame: Frame) -> Bool {
        guard screen != nil else { return false }
        let screenSize = size
        var full = needsFullRedraw
        if let previous, let drawn = drawnScreenSize {
            if previous.width != frame.width || previous.height != frame.height
                || drawn.width != screenSize.width || drawn.height != screenSize.height {
                full = true
            }
        } else {
            full = true
        }
        if full {
            cnc_erase()
            // Terminals reflow or keep stale text on resize; repaint the physical screen too.
            cnc_clearok(1)
        }
        lastRow = screenSize.height - 1
        lastColumn = screenSize.width - 1
        let rows = max(0, min(frame.height, screenSize.height))
        let columns = max(0, min(frame.width, screenSize.width))
        let before = full ? nil : previous
        for y in 0..<rows {
            drawRow(y, of: frame, columns: columns, previous: before)
        }
        cnc_set_style(cnc_a_normal(), 0)
        cnc_noutrefresh()
        doupdate()
        previous = frame
        drawnScreenSize = screenSize
        needsFullRedraw = false
        return full
    }

    /// Writes bytes to the terminal after curses's own output, so neither splits the other's
    /// sequences. The cursor is then put back where curses believes it is: its next update
    /// moves relative to that, and would otherwise land elsewhere.
    ///
    /// Nothing here is cleaned: the bytes reach the terminal as they are. Only sequences this
    /// program builds may come here (`GraphicsSequences`: an image's escape sequence, whose
    /// payload is base64 and whose numbers are ours, or 24-bit half blocks), never text from
    /// data — that is drawn into the Frame, through `TerminalText.clean`.
    public func writeRaw(_ bytes: [UInt8]) {
        guard screen != nil, !bytes.isEmpty else { return }
        var (y, x): (Int32, Int32) = (0, 0)
        cnc_physical_cursor(&y, &x)
        let output = cnc_stdout()
        let all = bytes + Array("\u{1B}[\(max(0, y) + 1);\(max(0, x) + 1)H".utf8)
        all.withUnsafeBufferPointer { buffer in
            _ = fwrite(buffer.baseAddress, 1, buffer.count, output)
        }
        fflush(output)
    }

    /// Rewrites rows `y ..< y + count` whole, now: what the terminal drew over them beside
    /// curses (an image) is replaced by what curses holds.
    public func repaintRows(_ y: Int, _ count: Int) {
        guard screen != nil, count > 0 else { return }
        cnc_redrawln(Int32(y), Int32(count))
        cnc_refresh()
    }

    /// Writes the changed cells of row `y`; with no `previous` (after erase), the non-blank ones.
    private func drawRow(_ y: Int, of frame: Frame, columns: Int, previous: Frame?) {
        guard columns > 0 else { return }
        var dirty = [Bool](repeating: false, count: columns)
        for x in 0..<columns {
            let cell = frame[x, y]
            if let previous {
                dirty[x] = cell != previous[x, y]
            } else {
                dirty[x] = cell != Cell.blank
            }
        }
        // A changed right half means its wide character must be written again as well.
        for x in 1..<max(1, columns) where dirty[x] && frame[x, y].text.isEmpty {
            dirty[x - 1] = true
        }

        var x = 0
        while x < columns {
            guard dirty[x] else {
                x += 1
                continue
            }
            let cell = frame[x, y]
            if cell.text.isEmpty {
                // Written with the wide character to its left; an orphaned right half (its left
                // half overwritten by a narrow character) shows as a blank.
                let coveredByLeft = isUTF8 && x > 0 && Self.isGlyph(frame[x - 1, y].text)
                if !coveredByLeft {
                    put(" ", x: x, y: y, columns: 1, style: cell.style)
                }
                x += 1
                continue
            }
            if !Self.isPlainASCII(cell.text) {
                // Written on its own at its own column, so a width that ncurses measures
                // differently from TerminalText cannot shift the cells after it.
                let wide = x + 1 < columns && frame[x + 1, y].text.isEmpty
                if wide {
                    // Blank the right half first: should ncurses find the glyph narrow, that
                    // column still shows nothing stale.
                    put(" ", x: x + 1, y: y, columns: 1, style: cell.style)
                }
                put(displayable(cell.text), x: x, y: y, columns: wide ? 2 : 1, style: cell.style)
                x += 1
                continue
            }
            // A run of changed printable-ASCII cells in one style goes out in one call.
            var run = cell.text
            var end = x + 1
            while end < columns, dirty[end], frame[end, y].style == cell.style, Self.isPlainASCII(frame[end, y].text) {
                run += frame[end, y].text
                end += 1
            }
            put(run, x: x, y: y, columns: end - x, style: cell.style)
            x = end
        }
    }

    /// Writes `text` (taking `columns` cells) at (x, y) in `style`.
    private func put(_ text: String, x: Int, y: Int, columns: Int, style: CellStyle) {
        apply(style)
        // Adding in the bottom-right cell moves the cursor past the end of the screen (the
        // call fails, and some terminals scroll); inserting there does not.
        guard y == lastRow, x + columns - 1 >= lastColumn, let last = text.last else {
            cnc_put(Int32(y), Int32(x), text)
            return
        }
        let head = String(text.dropLast())
        if !head.isEmpty {
            cnc_put(Int32(y), Int32(x), head)
        }
        cnc_insert(Int32(y), Int32(x + head.count), String(last))
    }

    static func isPlainASCII(_ text: String) -> Bool {
        let bytes = text.utf8
        guard bytes.count == 1, let byte = bytes.first else { return false }
        return (0x20...0x7E).contains(byte)
    }

    /// A drawn character other than printable ASCII: one that may be wide.
    static func isGlyph(_ text: String) -> Bool {
        !text.isEmpty && !isPlainASCII(text)
    }

    /// The text a non-ASCII cell is written as: "?" for anything that would move the cursor
    /// (frames should hold none; see TerminalText.clean) and for everything when the locale
    /// cannot encode it.
    private func displayable(_ text: String) -> String {
        let control = text.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) }
        return control || !isUTF8 ? "?" : text
    }

    private func apply(_ style: CellStyle) {
        var attributes = cnc_a_normal()
        if style.bold { attributes |= cnc_a_bold() }
        if style.reverse { attributes |= cnc_a_reverse() }
        if style.dim { attributes |= cnc_a_dim() }
        if style.underline { attributes |= cnc_a_underline() }
        cnc_set_style(attributes, colorCount > 0 ? pair(for: style) : 0)
    }

    // MARK: Colours

    /// The colour pair for the style's colours, made on first use. Pair 0 is the terminal's
    /// default; once the pairs run out, new combinations fall back to it.
    private func pair(for style: CellStyle) -> Int16 {
        let key = ColorPair(
            foreground: colorNumber(style.foreground, foreground: true),
            background: colorNumber(style.background, foreground: false))
        if key == defaultPair { return 0 }
        if let known = pairs[key] { return known }
        guard nextPair <= lastPair else {
            pairs[key] = 0
            return 0
        }
        let pair = Int16(nextPair)
        nextPair += 1
        guard init_pair(pair, key.foreground, key.background) == OK else {
            pairs[key] = 0
            return 0
        }
        pairs[key] = pair
        return pair
    }

    /// What pair 0 shows: the terminal's colours, or white on black without use_default_colors.
    private var defaultPair: ColorPair {
        hasDefaultColors ? ColorPair(foreground: -1, background: -1) : ColorPair(foreground: 7, background: 0)
    }

    private func colorNumber(_ color: CellColor, foreground: Bool) -> Int16 {
        let fallback = foreground ? defaultPair.foreground : defaultPair.background
        switch color {
        case .default:
            return fallback
        case .indexed(let index):
            return Self.approximate(Int(index), colors: colorCount).map { Int16($0) } ?? fallback
        }
    }
}
