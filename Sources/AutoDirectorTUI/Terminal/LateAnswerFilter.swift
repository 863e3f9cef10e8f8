/// Drops the terminal's answers to the start-up probe (`TerminalProbe`) that arrive after the
/// probe stopped waiting — over an SSH link slower than its 200 ms. Curses would hand them over
/// as keystrokes: the device attributes `ESC [ ? 6 2 ; 4 c` would be Escape, then `[`, then `?`
/// (the help), and so on. For `window` after start-up, key sequences shaped like the probe's
/// answers are recognised and dropped:
///
/// - `ESC [` then digits, `;`, `?` or `>`, ending in `c` (device attributes) or `t` (cell size);
/// - `ESC P … ESC \` (XTVERSION) and `ESC _ … ESC \` (the kitty graphics answer).
///
/// Anything else is handed on unchanged, only later: an Escape waits for the next key or for
/// `escapeWait` (a person pressing Escape alone), and a sequence that stops matching is handed
/// on whole. After `window` nothing is held back at all.
struct LateAnswerFilter {
    private enum State {
        case idle
        /// An Escape, waiting to see whether an answer follows.
        case escape
        /// `ESC [` and parameters so far.
        case controlSequence
        /// `ESC P` or `ESC _`, up to the string terminator; `sawEscape`: its ESC has come.
        case string(sawEscape: Bool)
    }

    private let activeUntil: ContinuousClock.Instant
    private let escapeWait: Duration
    private var state = State.idle
    private var held: [Key] = []
    private var heldSince: ContinuousClock.Instant?
    /// The longest answer string kept back (the probe's answers are under 100 bytes).
    private static let stringLimit = 512

    init(startedAt start: ContinuousClock.Instant, window: Duration = .seconds(10), escapeWait: Duration = .milliseconds(100)) {
        activeUntil = start + window
        self.escapeWait = escapeWait
    }

    /// The keys to handle now, given what `readKey` returned at `now` (nil: its timeout passed).
    mutating func keys(after key: Key?, at now: ContinuousClock.Instant) -> [Key] {
        guard let key else {
            // Nothing more came: what is held was typed, not answered.
            if let since = heldSince, now - since >= escapeWait { return release() }
            return []
        }
        switch state {
        case .idle:
            guard key == .escape, now < activeUntil else { return [key] }
            hold(key, at: now)
            state = .escape
            return []
        case .escape:
            switch key {
            case .character("["):
                held.append(key)
                state = .controlSequence
                return []
            case .character("P"), .character("_"):
                held.append(key)
                state = .string(sawEscape: false)
                return []
            default:
                return release() + keys(after: key, at: now)
            }
        case .controlSequence:
            guard case .character(let character) = key else { return release() + keys(after: key, at: now) }
            if character == "c" || character == "t" {
                drop()
                return []
            }
            if character.isASCII, character.isNumber || ";?>".contains(character) {
                held.append(key)
                return []
            }
            return release() + [key]
        case .string(let sawEscape):
            if sawEscape && key == .character("\\") {
                drop()
                return []
            }
            held.append(key)
            if held.count > Self.stringLimit {
                // Far longer than any answer, yet shaped like one: not worth replaying as keys.
                drop()
                return []
            }
            state = .string(sawEscape: key == .escape)
            return []
        }
    }

    private mutating func hold(_ key: Key, at now: ContinuousClock.Instant) {
        held = [key]
        heldSince = now
    }

    /// Hands on what was held, as the keys they were.
    private mutating func release() -> [Key] {
        defer { drop() }
        return held
    }

    private mutating func drop() {
        held = []
        heldSince = nil
        state = .idle
    }
}
