import AutoDirectorCore

/// Builds the compare view's data from the engine, off the UI thread.
enum CompareLoader {
    enum Failure: Error, CustomStringConvertible {
        case oneVersion(String)
        case unknownVersion(String, Int)

        var description: String {
            switch self {
            case .oneVersion(let shot): return "\(shot) has one version: patch it (p) to have two to compare."
            case .unknownVersion(let shot, let number): return "\(shot) has no v\(number)."
            }
        }
    }

    /// `left`/`right` nil: the latest version and its parent (else the one before it).
    static func load(_ engine: Engine, shotID: String, left: Int?, right: Int?) throws -> CompareData {
        let versions = try engine.versions(of: shotID)
        guard versions.count >= 2, let latest = versions.last else { throw Failure.oneVersion(shotID) }
        func version(_ number: Int) throws -> ShotVersion {
            guard let found = versions.first(where: { $0.number == number }) else { throw Failure.unknownVersion(shotID, number) }
            return found
        }
        let rightVersion = try right.map(version) ?? latest
        let leftVersion: ShotVersion
        if let left {
            leftVersion = try version(left)
        } else {
            let earlier = versions.filter { $0.number < rightVersion.number }
            leftVersion = earlier.last { $0.hash == rightVersion.parentHash } ?? earlier.last
                ?? versions.first { $0.number != rightVersion.number } ?? versions[0]
        }
        let changes = try engine.compare(shotID, leftVersion.number, rightVersion.number).map { change -> String in
            switch change.kind {
            case .added: return "+ " + Patcher.describe(change)
            case .removed: return "- " + Patcher.describe(change)
            case .changed: return "~ " + Patcher.describe(change)
            }
        }
        let (leftSide, leftImage) = try side(engine, leftVersion)
        let (rightSide, rightImage) = try side(engine, rightVersion)
        var data = CompareData(
            shotID: shotID, numbers: versions.map(\.number), left: leftSide, right: rightSide, changes: changes.isEmpty ? ["(no change)"] : changes)
        if let leftImage, let rightImage {
            let (marked, share) = PixelDifference.mark(leftImage, rightImage)
            data.difference = DetailLoader.downscale(marked, sha256: "difference")
            data.differencePNG = try PNGCodec.encode(marked)
            data.changedShare = share
        }
        return data
    }

    private static func side(_ engine: Engine, _ version: ShotVersion) throws -> (CompareSide, PNGCodec.Image?) {
        let marks = try engine.notes(of: version.shotID, version: version.number).pinMarks()
        guard let artifact = try engine.artifact(for: version) else { return (CompareSide(version: version, preview: nil, artifact: nil, marks: marks), nil) }
        guard artifact.mime == "image/png" else { return (CompareSide(version: version, preview: nil, artifact: artifact, marks: marks), nil) }
        let image = try PNGCodec.decode(try engine.artifactBytes(artifact))
        let preview = DetailLoader.downscale(image, sha256: artifact.imageSHA256)
        return (CompareSide(version: version, preview: preview, artifact: artifact, marks: marks), image)
    }
}

/// Where two images differ: the second image dimmed to grey, with every pixel that differs
/// from the first (by more than a little, per channel) in full red — so a changed region stands
/// out in symbols as well as in graphics.
enum PixelDifference {
    static let threshold = 24

    static func mark(_ first: PNGCodec.Image, _ second: PNGCodec.Image) -> (PNGCodec.Image, share: Double) {
        let (width, height) = (second.width, second.height)
        // Images of different sizes are compared at the second one's size.
        let base = first.width == width && first.height == height
            ? first.rgb : ImageScaler.scale(first.rgb, width: first.width, height: first.height, toWidth: width, toHeight: height)
        var out = [UInt8](repeating: 0, count: width * height * 3)
        var changed = 0
        for pixel in 0..<(width * height) {
            let i = pixel * 3
            let a = (Int(base[i]), Int(base[i + 1]), Int(base[i + 2]))
            let b = (Int(second.rgb[i]), Int(second.rgb[i + 1]), Int(second.rgb[i + 2]))
            if max(abs(a.0 - b.0), abs(a.1 - b.1), abs(a.2 - b.2)) > threshold {
                changed += 1
                (out[i], out[i + 1], out[i + 2]) = (255, 32, 32)
            } else {
                let grey = UInt8((b.0 * 3 + b.1 * 6 + b.2) / 10 * 2 / 5 + 20)
                (out[i], out[i + 1], out[i + 2]) = (grey, grey, grey)
            }
        }
        return (PNGCodec.Image(width: width, height: height, rgb: out), Double(changed) / Double(max(1, width * height)))
    }
}
