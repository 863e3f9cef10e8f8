import AutoDirectorCore

/// Where a graphics-mode image goes: a rectangle of cells that the frame leaves blank, and the
/// rendered image that fills it.
public struct GraphicsPlacement: Sendable, Equatable {
    public var x: Int
    public var y: Int
    public var columns: Int
    public var rows: Int
    public var mode: ImageMode
    /// The artifact's path (relative to the project), SHA-256 and type.
    public var path: String
    public var sha256: String
    public var mime: String
    /// An image made here (the compare view's difference), as PNG, instead of an artifact.
    public var png: [UInt8]?
    /// Note pins painted into the picture before it is encoded (every mode shows them).
    public var marks: [PinPainter.Mark]

    public init(
        x: Int, y: Int, columns: Int, rows: Int, mode: ImageMode, path: String, sha256: String, mime: String, png: [UInt8]? = nil,
        marks: [PinPainter.Mark] = []
    ) {
        (self.x, self.y, self.columns, self.rows, self.mode) = (x, y, columns, rows, mode)
        (self.path, self.sha256, self.mime, self.png, self.marks) = (path, sha256, mime, png, marks)
    }

    /// What an encoding depends on: the image, its pins, the mode and the size in cells, and for
    /// kitty (whose sequence carries the image number, see `kittyID`) and symbols (which move
    /// the cursor row by row) the place.
    public var key: String {
        let pins = marks.isEmpty ? "" : "+" + marks.map(\.signature).joined(separator: ";")
        return "\(mode.rawValue):\(sha256)\(pins):\(columns)x\(rows)" + (mode == .symbols || mode == .kitty ? "@\(x),\(y)" : "")
    }

    /// kitty's image number for this placement (FNV-1a of the image, size and cell): the same
    /// image in two places (compare, flipped) gets two numbers, since transmitting under a
    /// number replaces what it showed.
    public var kittyID: UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in key.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return hash == 0 ? 1 : hash
    }
}
