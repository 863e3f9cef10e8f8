/// Drops the terminal's answers to the start-up probe (`TerminalProbe`) that arrive after the
/// probe stopped waiting — over an SSH link slower than its 200 ms. Curses would hand them over
/// as keystrokes: the cell size `ESC [ 6 ; 32 ; 16 t` would be Escape, then `[`, `6`, … `t`.
/// For `window` after start-up, and again after the editor returns, key sequences shaped
/// exactly like those answers, arriving in one burst, are recognised and dropped:
///
/// - `ESC [ ?` then digits and `;`, ending in `c` (device attributes);
/// - `ESC [ 6 ;` then digits and `;`, ending in `t` (the cell size);
/// - `ESC [` digits `;` digits `R` (a cursor position: editors ask for it, and an answer that
///   comes after the editor ended would otherwise be Escape … `R`, a re-render);
/// - `ESC P >` … `ESC \` (XTVERSION) and `ESC _ G` … `ESC \` (the kitty graphics answer).
///
/// Anything else is handed on unchanged, only later: an Escape waits for the next key or for
/// `escapeWait` (a person pressing Escape alone), and a sequence that stops matching, or takes
/// longer than `escapeWait` to arrive (typed, not answered), is handed on whole. After `window`
/// nothing is held back at all. An answer split across more than `escapeWait` still reaches
/// the keymap; none of the probe's is long enough to be split on a working link.
struct LateAnswerFilter {
    private enum State {
        case idle
        /// An Escape, waiting to see whether an answer follows.
        case escape
        /// `ESC [` and the parameters so far.
        case controlSequence(parameters: String)
        /// `ESC P` or `ESC _`, waiting for the answer's first character (`>` or `G`).
        case stringStart(expecting: Character)
        /// Inside `ESC P >` or `ESC _ G`, up to the string terminator; `sawEscape`: its ESC came.
        case string(sawEscape: Bool)
    }

    private let activeUntil: ContinuousClock.Instant
    private let escapeWait: Duration
    private var state = State.idle
    private var held: [Key] = []
    private var heldSince: ContinuousClock.Instant?
    /// The longest answer kept back (the probe's answers are under 100 bytes): beyond it, what
    /// is held is handed on.
    static let holdLimit = 512

    init(startedAt start: ContinuousClock.Instant, window: Duration = .seconds(10), escapeWait: Duration = .milliseconds(100)) {
        activeUntil = start + window
        self.escapeWait = escapeWait
    }

    /// The keys to handle now, given what `readKey` returned at `now` (nil: its timeout passed).
    mutating func keys(after key: Key?, at now: ContinuousClock.Instant) -> [Key] {
        // An answer comes in one burst: what has been held this long was typed.
        if let since = heldSince, now - since >= escapeWait {
            return release() + (key.map { keys(after: $0, at: now) } ?? [])
        }
        guard let key else { return [] }
        switch state {
        case .idle:
            guard key == .escape, now < activeUntil else { return [key] }
            held = [key]
            heldSince = now
            state = .escape
            return []
        case .escape:
            switch key {
            case .character("["): return hold(key, .controlSequence(parameters: ""))
            case .character("P"): return hold(key, .stringStart(expecting: ">"))
            case .character("_"): return hold(key, .stringStart(expecting: "G"))
            default: return release() + keys(after: key, at: now)
            }
        case .controlSequence(let parameters):
            guard case .character(let character) = key else { return release() + keys(after: key, at: now) }
            let isAttributes = parameters.hasPrefix("?")
            let isCellSize = parameters.hasPrefix("6;")
            if (character == "c" && isAttributes) || (character == "t" && isCellSize) || (character == "R" && Self.isPosition(parameters)) {
                drop()
                return []
            }
            let next = parameters + String(character)
            // Still the start of one of the answers: `?…`, or digits and `;` (`6;…`, a position).
            let shaped = next.hasPrefix("?") || next.first?.isNumber == true
            let allowed = character.isASCII && (character.isNumber || character == ";" || (character == "?" && parameters.isEmpty))
            guard shaped, allowed else { return release() + [key] }
            return hold(key, .controlSequence(parameters: next))
        case .stringStart(let expecting):
            guard key == .character(expecting) else { return release() + keys(after: key, at: now) }
            return hold(key, .string(sawEscape: false))
        case .string(let sawEscape):
            guard case .character(let character) = key else {
                // Answers hold only characters (and their terminating ESC).
                if key == .escape { return hold(key, .string(sawEscape: true)) }
                return release() + keys(after: key, at: now)
            }
            if sawEscape {
                guard character == "\\" else { return release() + [key] }
                drop()
                return []
            }
            return hold(key, .string(sawEscape: false))
        }
    }

    /// `row;column`: the parameters of a cursor position answer.
    static func isPosition(_ parameters: String) -> Bool {
        let parts = parameters.split(separator: ";", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }

    /// Holds `key` as part of a possible answer, now in `state`; past `holdLimit` it was no answer.
    private mutating func hold(_ key: Key, _ next: State) -> [Key] {
        held.append(key)
        state = next
        return held.count > Self.holdLimit ? release() : []
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
