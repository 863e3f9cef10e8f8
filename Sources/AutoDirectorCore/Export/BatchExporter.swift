import Foundation
import ZIPFoundation

public struct ExportOptions: Sendable {
    public var directory: URL
    public var zip: Bool
    public var approvedOnly: Bool
    public var allVersions: Bool

    public init(directory: URL, zip: Bool = false, approvedOnly: Bool = false, allVersions: Bool = false) {
        self.directory = directory
        self.zip = zip
        self.approvedOnly = approvedOnly
        self.allVersions = allVersions
    }
}

public struct ExportResult: Sendable {
    public var directory: URL
    public var zip: URL?
    public var entries: Int
    public var images: Int
}

/// Writes a batch's export bundle (SPEC §11): `DIR/<batch>/` with manifest.json, report.json,
/// report.md, images/<shot_id>_v<N>.<ext> and SHA256SUMS, and with `--zip` one zip of it all.
/// The bytes depend only on the project's state: files in a fixed order, no export time, zip
/// entries with a fixed date. Every path comes from a validated shot id, and the bundle is built
/// under a temporary name and renamed into place, so a failed export leaves nothing half-written.
struct BatchExporter {
    let engine: Engine
    let files: ArtifactFiles

    /// 1980-01-01 00:00, the zip epoch, in the local calendar: zip stores local date fields, so
    /// this gives the same bytes in every time zone.
    static var fixedDate: Date {
        Calendar.current.date(from: DateComponents(year: 1980, month: 1, day: 1, hour: 0, minute: 0, second: 0)) ?? Date(timeIntervalSince1970: 315_532_800)
    }

    func export(batchID: String, options: ExportOptions) throws -> ExportResult {
        guard let batch = try engine.store.batch(batchID) else {
            throw EngineError.unknownBatch(batchID, known: try engine.store.batches().map(\.id))
        }
        try ExportDestination.check(directory: options.directory, targets: [
            (options.directory.appendingPathComponent(batch.id, isDirectory: true), true),
        ] + (options.zip ? [(options.directory.appendingPathComponent("\(batch.id).zip"), false)] : []))
        var bundle: [(path: String, bytes: [UInt8])] = []
        var entries: [JSONValue] = []
        var counts = ["planned": 0, "rendered": 0, "failed": 0, "approved": 0, "rejected": 0, "pending": 0]
        let summaries = try engine.shots(batchID: batchID)
        counts["planned"] = summaries.count
        for summary in summaries {
            guard ShotID.isValid(summary.shot.id) else { throw ExportError(message: "shot id \(TextSanitizer.quoted(summary.shot.id)) cannot name a file") }
            let versions = options.allVersions ? try engine.versions(of: summary.shot.id) : [try engine.version(of: summary.shot.id)]
            for version in versions {
                if options.approvedOnly && version.review != .approved { continue }
                var file: String?
                var imageSHA: String?
                if let artifact = try engine.artifact(for: version) {
                    let bytes = try files.read(artifact.path)
                    let ext = RenderRunner.fileExtension(artifact.mime)
                    let path = "images/\(version.shotID)_v\(version.number).\(ext)"
                    bundle.append((path, bytes))
                    file = path
                    imageSHA = artifact.imageSHA256
                }
                switch version.renderStatus {
                case .rendered: counts["rendered", default: 0] += 1
                case .failed, .blocked: counts["failed", default: 0] += 1
                default: break
                }
                counts[version.review.rawValue, default: 0] += 1
                entries.append([
                    "shot_id": .string(version.shotID), "version": .number(Double(version.number)), "hash": .string(version.hash),
                    "seed": .number(Double(version.seed)), "status": .string(version.renderStatus.rawValue),
                    "review": .string(version.review.rawValue), "reviewer": version.reviewer.map(JSONValue.string) ?? .null,
                    "note": version.reviewNote.map(JSONValue.string) ?? .null, "file": file.map(JSONValue.string) ?? .null,
                    "image_sha256": imageSHA.map(JSONValue.string) ?? .null,
                ])
            }
        }
        let metrics = try engine.metrics(batchID: batchID)
        let manifest: JSONValue = [
            "generator": "autodirector", "format_version": 1,
            "hashing": "SHA-256 of the RFC 8785 canonical form of each spec",
            "batch": [
                "id": .string(batch.id), "source": .string(batch.sourceName), "source_sha256": .string(batch.sourceSHA256),
                "preset": batch.preset.map(JSONValue.string) ?? .null,
            ],
            "selection": ["approved_only": .bool(options.approvedOnly), "all_versions": .bool(options.allVersions)],
            "shots": .array(entries),
        ]
        var report = JSONObject()
        for key in ["planned", "rendered", "failed", "approved", "rejected", "pending"] { report[key] = .number(Double(counts[key] ?? 0)) }
        report["exported"] = .number(Double(entries.count))
        report["cache_hits"] = .number(Double(metrics.cacheHits))
        report["renders_executed"] = .number(Double(metrics.rendersExecuted))
        report["render_seconds_p50"] = metrics.renderSecondsP50.map(JSONValue.number) ?? .null
        report["render_seconds_p95"] = metrics.renderSecondsP95.map(JSONValue.number) ?? .null
        bundle.append(("manifest.json", Array((JSONWriter.pretty(manifest) + "\n").utf8)))
        bundle.append(("report.json", Array((JSONWriter.pretty(.object(report)) + "\n").utf8)))
        bundle.append(("report.md", Array(Self.markdown(batch: batch, report: report, entries: entries).utf8)))
        bundle.sort { $0.path < $1.path }
        let sums = bundle.map { "\(SHA256Hex.digest($0.bytes))  \($0.path)\n" }.joined()
        bundle.append(("SHA256SUMS", Array(sums.utf8)))

        let target = options.directory.appendingPathComponent(batch.id, isDirectory: true)
        try writeDirectory(bundle, to: target)
        var zipURL: URL?
        if options.zip {
            let url = options.directory.appendingPathComponent("\(batch.id).zip")
            try writeZip(bundle, root: batch.id, to: url)
            zipURL = url
        }
        return ExportResult(directory: target, zip: zipURL, entries: entries.count, images: bundle.filter { $0.path.hasPrefix("images/") }.count)
    }

    private func writeDirectory(_ bundle: [(path: String, bytes: [UInt8])], to target: URL) throws {
        let fileManager = FileManager.default
        let parent = target.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).export-\(UUID().uuidString)")
        do {
            try fileManager.createDirectory(at: staging.appendingPathComponent("images"), withIntermediateDirectories: true)
            for file in bundle {
                try Data(file.bytes).write(to: staging.appendingPathComponent(file.path))
            }
            if fileManager.fileExists(atPath: target.path) { try fileManager.removeItem(at: target) }
            try fileManager.moveItem(at: staging, to: target)
        } catch {
            try? fileManager.removeItem(at: staging)
            throw ExportError(message: "cannot write the bundle to \(target.path): \(FileErrorText.reason(error))")
        }
    }

    private func writeZip(_ bundle: [(path: String, bytes: [UInt8])], root: String, to url: URL) throws {
        let fileManager = FileManager.default
        let staging = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString)")
        do {
            let archive = try Archive(url: staging, accessMode: .create)
            for file in bundle {
                let data = Data(file.bytes)
                try archive.addEntry(
                    with: "\(root)/\(file.path)", type: .file, uncompressedSize: Int64(data.count), modificationDate: Self.fixedDate,
                    permissions: 0o644, compressionMethod: .deflate
                ) { position, size in data.subdata(in: Int(position)..<Int(position) + size) }
            }
            if fileManager.fileExists(atPath: url.path) { try fileManager.removeItem(at: url) }
            try fileManager.moveItem(at: staging, to: url)
        } catch {
            try? fileManager.removeItem(at: staging)
            throw ExportError(message: "cannot write the zip \(url.path): \(FileErrorText.reason(error))")
        }
    }

    static func markdown(batch: Batch, report: JSONObject, entries: [JSONValue]) -> String {
        func count(_ key: String) -> String { report[key].map(JSONWriter.compact) ?? "0" }
        var lines = [
            "# Export of batch \(batch.id)", "",
            "Source: \(TextSanitizer.visible(batch.sourceName)) (SHA-256 \(batch.sourceSHA256))",
            "Preset: \(batch.preset.map { TextSanitizer.visible($0) } ?? "none")", "",
            "| planned | exported | rendered | failed | approved | rejected | pending | cache hits |",
            "|---|---|---|---|---|---|---|---|",
            "| \(count("planned")) | \(count("exported")) | \(count("rendered")) | \(count("failed")) | \(count("approved")) | \(count("rejected")) | \(count("pending")) | \(count("cache_hits")) |",
            "", "Render time p50: \(count("render_seconds_p50")) s, p95: \(count("render_seconds_p95")) s.", "",
            "| shot | version | review | hash | image |", "|---|---|---|---|---|",
        ]
        for entry in entries {
            let shot = TextSanitizer.visible(entry["shot_id"]?.stringValue ?? "")
            let hash = String((entry["hash"]?.stringValue ?? "").prefix(12))
            let file = entry["file"]?.stringValue ?? "not rendered"
            lines.append("| \(shot) | v\(Int(entry["version"]?.numberValue ?? 0)) | \(entry["review"]?.stringValue ?? "") | \(hash) | \(file) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

public struct ExportError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { "Export failed: \(message)" + (message.hasSuffix(".") ? "" : ".") }
}

extension Engine {
    public func export(batchID: String, options: ExportOptions) throws -> ExportResult {
        try BatchExporter(engine: self, files: ArtifactFiles(projectDirectory: store.directory)).export(batchID: batchID, options: options)
    }
}
