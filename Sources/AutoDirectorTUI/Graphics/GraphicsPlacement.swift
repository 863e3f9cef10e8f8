import AutoDirectorCore

/// Where a graphics-mode image goes: a rectangle of cells that the frame leaves blank, and the
/// rendered image that fills it.
public struct GraphicsPlacement: Sendable, Equatable, Hashable {
    public var x: Int
    public var y: Int
    public var columns: Int
    public var rows: Int
    public var mode: ImageMode
    /// The artifact's path (relative to the project), SHA-256 and type.
    public var path: String
    public var sha256: String
    public var mime: String

    public init(x: Int, y: Int, columns: Int, rows: Int, mode: ImageMode, path: String, sha256: String, mime: String) {
        (self.x, self.y, self.columns, self.rows, self.mode) = (x, y, columns, rows, mode)
        (self.path, self.sha256, self.mime) = (path, sha256, mime)
    }

    /// What an encoding depends on: the image, the mode and the size in cells.
    public var key: String { "\(mode.rawValue):\(sha256):\(columns)x\(rows)" }

    /// kitty's image number for this image: the same image keeps its number.
    public var kittyID: UInt32 {
        let value = UInt32(sha256.prefix(8), radix: 16) ?? 1
        return value == 0 ? 1 : value
    }
}
