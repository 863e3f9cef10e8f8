import Foundation

/// FIBO's native aspect ratios (reference/bria-api-v2.md): the nine `/image/generate` renders
/// at every resolution. A spec's `output` size names one of them; the size itself is the
/// deliverable's, the ratio is what is sent.
public enum AspectRatio {
    public static let native: [(name: String, width: Int, height: Int)] = [
        ("1:1", 1, 1), ("2:3", 2, 3), ("3:2", 3, 2), ("3:4", 3, 4), ("4:3", 4, 3), ("4:5", 4, 5), ("5:4", 5, 4),
        ("9:16", 9, 16), ("16:9", 16, 9),
    ]

    /// How far (in log scale) a size may be from a ratio and still be it: FIBO's own native
    /// sizes are rounded to multiples of 64 (1216×832 is 3:2 within 2.6 %, 1344×768 is 16:9
    /// within 1.6 %), while 16:10 (6.5 % from 3:2) is another ratio.
    static let tolerance = 0.03

    /// The native ratio a size is, or nil when it is none of them.
    public static func of(width: Double, height: Double) -> (name: String, width: Int, height: Int)? {
        guard width > 0, height > 0, width.isFinite, height.isFinite else { return nil }
        let nearest = nearestNative(width: width, height: height)
        return nearest.distance <= tolerance ? nearest.ratio : nil
    }

    /// The native ratio nearest a size (nearest in log scale, so 2:1 is as far from 1:1 as 1:2
    /// is; ties go to the earlier): what a version stored before sizes were checked is sent as.
    public static func nearest(width: Double, height: Double) -> String {
        guard width > 0, height > 0, width.isFinite, height.isFinite else { return "1:1" }
        return nearestNative(width: width, height: height).ratio.name
    }

    private static func nearestNative(width: Double, height: Double) -> (ratio: (name: String, width: Int, height: Int), distance: Double) {
        let target = log(width / height)
        var best = native[0]
        var bestDistance = Double.infinity
        for candidate in native {
            let distance = abs(log(Double(candidate.width) / Double(candidate.height)) - target)
            if distance < bestDistance - 1e-12 {
                best = candidate
                bestDistance = distance
            }
        }
        return (best, bestDistance)
    }

    /// `1:1, 2:3, …` for messages.
    public static var list: String { native.map(\.name).joined(separator: ", ") }
}
