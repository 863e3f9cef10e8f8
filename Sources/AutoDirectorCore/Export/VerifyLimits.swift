/// How much `verify` reads of a bundle it has not made (SPEC §11). A bundle is untrusted: a
/// 2 MB zip can inflate to gigabytes and a sparse file can claim terabytes. Files are streamed
/// (memory stays flat), and these bounds keep the time and the two parsed files in check.
public struct VerifyLimits: Sendable, Equatable {
    /// The most bytes one file (or zip entry) may hold to be hashed.
    public var maxFileBytes: Int64
    /// The most an entry may inflate to per compressed byte, for entries past `ratioFloor`
    /// bytes (deflate tops out near 1,032: only a crafted entry comes close).
    public var maxCompressionRatio: Int64
    /// `SHA256SUMS` and `manifest.json` are parsed in memory: the most either may hold.
    public var maxIndexBytes: Int

    /// Small entries may compress as well as they like (a short run of zeros).
    static let ratioFloor: Int64 = 1 << 20

    public init(maxFileBytes: Int64, maxCompressionRatio: Int64, maxIndexBytes: Int) {
        self.maxFileBytes = maxFileBytes
        self.maxCompressionRatio = maxCompressionRatio
        self.maxIndexBytes = maxIndexBytes
    }

    /// A 1 GiB image, text that compresses 200:1 (a manifest compresses about 10:1), a manifest
    /// of 256 MiB (a million shots).
    public static let standard = VerifyLimits(maxFileBytes: 1 << 30, maxCompressionRatio: 200, maxIndexBytes: 256 << 20)

    /// The most an entry of `compressed` bytes may inflate to.
    func ratioBound(compressed: Int64) -> Int64 {
        let (product, overflow) = compressed.multipliedReportingOverflow(by: maxCompressionRatio)
        return max(Self.ratioFloor, overflow ? .max : product)
    }

    static func tooLarge(_ size: Int64, _ limit: Int64) -> BundleFileError {
        BundleFileError(description: "it holds \(size) bytes, more than the \(limit >> 20) MiB verify reads of one file; raise it with --max-file-mb")
    }

    func tooCompressed(_ size: Int64, _ compressed: Int64) -> BundleFileError {
        BundleFileError(description: "it inflates \(compressed) bytes to \(size), more than \(maxCompressionRatio) to 1 (a zip bomb?); not read; raise it with --max-ratio")
    }
}
