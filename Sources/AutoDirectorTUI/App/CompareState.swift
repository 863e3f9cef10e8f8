import AutoDirectorCore

/// One side of the compare view: a version with its image.
public struct CompareSide: Sendable, Equatable {
    public var version: ShotVersion
    /// Scaled down for symbols (nil: not rendered, or not a PNG).
    public var preview: PreviewImage?
    /// The rendered image itself, which graphics modes draw from.
    public var artifact: Artifact?
    /// The pins of the version's notes, drawn on its image.
    public var marks: [PinPainter.Mark]

    public init(version: ShotVersion, preview: PreviewImage?, artifact: Artifact?, marks: [PinPainter.Mark] = []) {
        self.version = version
        self.preview = preview
        self.artifact = artifact
        self.marks = marks
    }
}

/// Two versions of a shot side by side (`C`), prepared off the UI thread: their images, the
/// JSON changes between them (as `compare` lists them) and where their pixels differ.
public struct CompareData: Sendable, Equatable {
    public var shotID: String
    /// Every version number of the shot, oldest first (`[` and `]` walk them).
    public var numbers: [Int]
    public var left: CompareSide
    public var right: CompareSide
    /// The changes from left to right, one described line each ("~ camera.fov: 45 → 60").
    public var changes: [String]
    /// The right image with every pixel that differs from the left marked, the rest dimmed;
    /// nil when one side has no image.
    public var difference: PreviewImage?
    /// The same at full size as PNG, for graphics modes.
    public var differencePNG: [UInt8]?
    /// The share of pixels that differ (0…1), when both sides have an image.
    public var changedShare: Double?

    public init(
        shotID: String, numbers: [Int], left: CompareSide, right: CompareSide, changes: [String], difference: PreviewImage? = nil,
        differencePNG: [UInt8]? = nil, changedShare: Double? = nil
    ) {
        self.shotID = shotID
        self.numbers = numbers
        self.left = left
        self.right = right
        self.changes = changes
        self.difference = difference
        self.differencePNG = differencePNG
        self.changedShare = changedShare
    }
}

/// The compare view's state: which versions were asked for, what arrived, and how it is shown.
public struct CompareState: Sendable, Equatable {
    public var shotID: String
    /// The versions asked for (nil: the default, the latest and its parent).
    public var left: Int?
    public var right: Int?
    public var data: CompareData?
    /// `f`: each side shows the other's image, in the same cells.
    public var flipped = false
    /// `D`: the right side shows where the pixels differ.
    public var showDifference = false

    public init(shotID: String, left: Int? = nil, right: Int? = nil) {
        self.shotID = shotID
        self.left = left
        self.right = right
    }
}
