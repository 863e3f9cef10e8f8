import AutoDirectorCore

/// One seed variant of a version in the variants view (`V`): its seed, hash and picture.
public struct VariantSide: Sendable, Equatable {
    public var seed: UInt32
    public var hash: String
    /// Rendered before (no provider call was made for it this time).
    public var cached: Bool
    public var preview: PreviewImage?
    public var artifact: Artifact?

    public init(seed: UInt32, hash: String, cached: Bool, preview: PreviewImage?, artifact: Artifact?) {
        self.seed = seed
        self.hash = hash
        self.cached = cached
        self.preview = preview
        self.artifact = artifact
    }
}

/// A version's seed variants, rendered (or found in the cache) off the UI thread.
public struct VariantsData: Sendable, Equatable {
    public var shotID: String
    public var base: ShotVersion
    public var variants: [VariantSide]
    /// What making them called and cost ("3 provider calls (1 cached), cost 0.12").
    public var estimate: String

    public init(shotID: String, base: ShotVersion, variants: [VariantSide], estimate: String) {
        self.shotID = shotID
        self.base = base
        self.variants = variants
        self.estimate = estimate
    }
}

/// The variants view's state (SPEC §18): a grid of a version's seed variants, one in focus;
/// `f` shows the one in focus full-size (the arrows flip through them), Enter makes it the
/// shot's next version.
public struct VariantsState: Sendable, Equatable {
    public static let count = 4

    public var shotID: String
    public var data: VariantsData?
    public var focus = 0
    public var fullSize = false
    /// Enter was pressed: the pick is being stored.
    public var picking = false

    public init(shotID: String) {
        self.shotID = shotID
    }
}
