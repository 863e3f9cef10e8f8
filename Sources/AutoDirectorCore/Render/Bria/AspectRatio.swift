import Foundation

/// The aspect ratios Bria's `/image/generate` accepts at 1MP, and the one nearest an output
/// size (nearest in log scale, so 2:1 is as far from 1:1 as 1:2 is; ties go to the earlier).
enum AspectRatio {
    static let supported: [(name: String, width: Double, height: Double)] = [
        ("1:1", 1, 1), ("2:3", 2, 3), ("3:2", 3, 2), ("3:4", 3, 4), ("4:3", 4, 3), ("4:5", 4, 5), ("5:4", 5, 4),
        ("9:16", 9, 16), ("16:9", 16, 9), ("16:10", 16, 10), ("10:16", 10, 16), ("2:1", 2, 1), ("1:2", 1, 2),
        ("21:9", 21, 9), ("9:21", 9, 21), ("3:1", 3, 1), ("1:3", 1, 3), ("4:1", 4, 1), ("1:4", 1, 4), ("5:1", 5, 1), ("1:5", 1, 5),
    ]

    static func nearest(width: Double, height: Double) -> String {
        guard width > 0, height > 0, width.isFinite, height.isFinite else { return "1:1" }
        let target = log(width / height)
        var best = supported[0]
        var bestDistance = Double.infinity
        for candidate in supported {
            let distance = abs(log(candidate.width / candidate.height) - target)
            if distance < bestDistance - 1e-12 {
                best = candidate
                bestDistance = distance
            }
        }
        return best.name
    }
}
