import Foundation
import AutoDirectorCore

/// Builds a shot's detail (every tab's text, the preview image) from the engine, off the UI
/// thread, so drawing a frame never parses JSON or decodes PNG.
enum DetailLoader {
    static func load(_ engine: Engine, shotID: String) throws -> ShotDetail {
        let versions = try engine.versions(of: shotID)
        guard let version = versions.last else { throw EngineError.unknownShot(shotID) }
        let spec = JSONWriter.pretty(.object(version.spec))
        var lines: [DetailTab: [String]] = [:]
        lines[.json] = spec.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[.prompt] = JSONWriter.pretty(.object(engine.compiledPrompt(version))).split(separator: "\n").map(String.init)
        // Each version, newest first, with its review history under it: who did what, when, why.
        let log = Dictionary(grouping: try engine.reviewLog(of: shotID), by: \.version)
        lines[.versions] = versions.reversed().flatMap { v -> [String] in
            let head = "v\(v.number)  \(v.shortHash)  \(v.origin.rawValue)  \(v.renderStatus.rawValue.replacingOccurrences(of: "_", with: " "))  \(v.review.label)"
            let history = (log[v.number] ?? []).reversed().map { entry in
                let action = entry.undoes != nil ? "undid → \(entry.status.rawValue)" : entry.stage.map { "approved at \($0)" } ?? entry.status.rawValue
                return "    \(timestamp(entry.at))  \(entry.reviewer)  \(action)" + (entry.note.map { " — \($0)" } ?? "")
            }
            return [head] + history
        }
        if let parent = versions.dropLast().last {
            let changes = try engine.compare(shotID, parent.number, version.number)
            lines[.diff] = ["v\(parent.number) → v\(version.number)"] + (changes.isEmpty ? ["(no change)"] : changes.map { change in
                switch change.kind {
                case .added: return "+ " + Patcher.describe(change)
                case .removed: return "- " + Patcher.describe(change)
                case .changed: return "~ " + Patcher.describe(change)
                }
            })
        } else {
            lines[.diff] = ["v1 has no parent: patch the shot (p) to make v2."]
        }
        let notes = try engine.notes(of: shotID, version: version.number)
        lines[.notes] = NotesText.lines(notes)
        let explanation = try engine.explain(shotID)
        var explain: [String] = []
        if let source = explanation.source { explain.append("Source: \(source.file) line \(source.line) (batch \(source.batchID))") }
        for step in explanation.lineage {
            explain.append("v\(step.version) \(step.origin.rawValue) \(step.hash.prefix(12))")
            for reason in step.reasons { explain.append("  \(reason.id ?? reason.kind.rawValue): \(reason.reason)") }
        }
        if !explanation.differencesFromDefaults.isEmpty {
            explain.append("Differences from the defaults:")
            explain += explanation.differencesFromDefaults.map { "  " + Patcher.describe($0) }
        }
        explain += explanation.reproducibility
        lines[.explain] = explain
        var preview: PreviewImage?
        var previewProblem: String?
        let artifact = try engine.artifact(for: version)
        if let artifact, artifact.mime == "image/png" {
            // The image alone may be missing (rendered on another machine of a shared project,
            // or removed): the rest of the detail still shows, and the preview says why.
            do {
                preview = downscale(try PNGCodec.decode(try engine.artifactBytes(artifact)), sha256: artifact.imageSHA256)
            } catch {
                let hint = !engine.artifacts.isShared
                    ? " On a shared project an image is in the project directory of the machine that rendered it: give the machines "
                        + "one directory they all mount, or an S3 bucket, for images (AUTODIRECTOR_ARTIFACTS) to see them all."
                    : ""
                previewProblem = "Rendered, but its image cannot be read here. \(error)" + hint
            }
        }
        return ShotDetail(
            version: version, versionCount: versions.count, lines: lines, preview: preview, specJSON: spec, artifact: artifact,
            previewProblem: previewProblem, notes: notes)
    }

    /// UTC to the minute: short enough for the panel, sortable, the same on every machine.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime]
        return String(formatter.string(from: date).prefix(16)) + "Z"
    }

    /// At most 160×120 pixels: enough for any panel, small to keep in the state.
    static func downscale(_ image: PNGCodec.Image, sha256: String, maxWidth: Int = 160, maxHeight: Int = 120) -> PreviewImage {
        let scale = min(1, min(Double(maxWidth) / Double(image.width), Double(maxHeight) / Double(image.height)))
        let width = max(1, Int(Double(image.width) * scale))
        let height = max(1, Int(Double(image.height) * scale))
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            let sy = min(image.height - 1, y * image.height / height)
            for x in 0..<width {
                let sx = min(image.width - 1, x * image.width / width)
                let from = (sy * image.width + sx) * 3
                let to = (y * width + x) * 3
                rgb[to] = image.rgb[from]
                rgb[to + 1] = image.rgb[from + 1]
                rgb[to + 2] = image.rgb[from + 2]
            }
        }
        return PreviewImage(width: width, height: height, rgb: rgb, originalWidth: image.width, originalHeight: image.height, sha256: sha256)
    }
}
