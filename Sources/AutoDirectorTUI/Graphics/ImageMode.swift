/// How the preview shows an image, best first (see `../shared/reference/terminal-images.md`).
public enum ImageMode: String, Sendable, CaseIterable, Equatable {
    /// kitty's graphics protocol: the PNG itself, scaled by the terminal into the panel's cells.
    case kitty
    /// iTerm2's inline images: the file itself, scaled by the terminal.
    case iterm2
    /// Sixel: the image scaled to the panel's pixels and quantised to 256 colours here.
    case sixel
    /// Unicode half blocks in colour (24-bit when the terminal says so, else the 256-colour cube).
    case symbols
    /// A text placeholder: size and hash.
    case off

    /// Whether the terminal draws pixels (written beside curses, over blank cells).
    public var isGraphics: Bool { self == .kitty || self == .iterm2 || self == .sixel }

    /// Whether the image is written beside curses: pixels, or symbols in 24-bit colour (curses
    /// itself only has the 256-colour palette).
    public func drawnBesideCurses(truecolor: Bool) -> Bool { isGraphics || (self == .symbols && truecolor) }
}

/// How many colours text may use.
public enum ColorDepth: String, Sendable, Equatable {
    case none, basic = "8", palette = "256", truecolor
}
