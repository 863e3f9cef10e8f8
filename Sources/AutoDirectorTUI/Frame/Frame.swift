/// A colour of the 256-colour palette, or the terminal's default.
public enum CellColor: Sendable, Equatable, Hashable {
    case `default`
    case indexed(UInt8)
}

/// Text attributes of a cell.
public struct CellStyle: Sendable, Equatable, Hashable {
    public var foreground: CellColor
    public var background: CellColor
    public var bold: Bool
    public var reverse: Bool
    public var dim: Bool
    public var underline: Bool

    public init(foreground: CellColor = .default, background: CellColor = .default, bold: Bool = false, reverse: Bool = false, dim: Bool = false, underline: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.reverse = reverse
        self.dim = dim
        self.underline = underline
    }

    public static let plain = CellStyle()
}

/// One terminal cell: a grapheme drawn in it (a wide one fills the next cell too, which then
/// holds `continuation`), with its style.
public struct Cell: Sendable, Equatable {
    public var text: String
    public var style: CellStyle

    public init(_ text: String = " ", style: CellStyle = .plain) {
        self.text = text
        self.style = style
    }

    /// The right half of a wide character.
    public static let continuation = Cell("")
    public static let blank = Cell()
}

/// What the screen shows: a grid of cells. Views draw into a Frame; the ncurses backend copies
/// the cells that changed since the previous Frame; tests compare Frames as text.
public struct Frame: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Images the terminal draws over blank cells (graphics modes), beside curses.
    public var graphics: [GraphicsPlacement] = []

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Writes `text` at (x, y), clipped to `limit` columns (and to the frame); returns the
    /// number of columns used. Text must already be sanitized (see `TerminalText`).
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: CellStyle = .plain, limit: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let end = min(width, x + (limit ?? width))
        var column = x
        for character in text {
            let columns = TerminalText.columns(of: character)
            guard columns > 0 else { continue }
            if column + columns > end { break }
            if column >= 0 {
                self[column, y] = Cell(String(character), style: style)
                if columns == 2 { self[column + 1, y] = Cell(Cell.continuation.text, style: style) }
            }
            column += columns
        }
        return column - x
    }

    /// Fills a rectangle with blanks in `style`.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, style: CellStyle = .plain) {
        for row in max(0, y)..<min(height, y + h) {
            for column in max(0, x)..<min(width, x + w) { self[column, row] = Cell(" ", style: style) }
        }
    }

    /// The rows as plain text (snapshots, and `capture` in tests).
    public var lines: [String] {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width { line += self[x, y].text }
            return line
        }
    }

    public var text: String {
        lines.map { line in String(line.reversed().drop(while: { $0 == " " }).reversed()) }.joined(separator: "\n")
    }
}
