import Foundation

public struct ExportOptions: Sendable {
    public var directory: URL
    public var zip: Bool
    public var approvedOnly: Bool
    public var allVersions: Bool
    /// Told (images written, images in all) after each image, for a progress display.
    public var progress: (@Sendable (Int, Int) -> Void)?

    public init(directory: URL, zip: Bool = false, approvedOnly: Bool = false, allVersions: Bool = false, progress: (@Sendable (Int, Int) -> Void)? = nil) {
        self.directory = directory
        self.zip = zip
        self.approvedOnly = approvedOnly
        self.allVersions = allVersions
        self.progress = progress
    }
}

public struct ExportResult: Sendable {
    public var directory: URL
    public var zip: URL?
    public var entries: Int
    public var images: Int
    /// Bytes of the bundle's files (the zip holds about as many).
    public var bytes: Int
}

/// Writes a batch's export bundle (SPEC §11): `DIR/<batch>/` with manifest.json, report.json,
/// report.md, index.html (a contact sheet), images/<shot_id>_v<N>.<ext> and SHA256SUMS, and with `--zip` one zip of it all.
/// The bytes depend only on the project's state: files in a fixed order (by path, SHA256SUMS
/// last), no export time, zip entries with a fixed date. The batch's versions are read in one
/// query; images are then read, hashed and written one at a time (`BundleWriter`), so memory
/// does not grow with their number or size. Every path comes from a validated shot id, and a
/// failed export leaves nothing half-written.
struct BatchExporter {
    let engine: Engine
    let files: ArtifactFiles

    func export(batchID: String, options: ExportOptions) throws -> ExportResult {
        let batch = try engine.batch(batchID)
        let target = options.directory.appendingPathComponent(batch.id, isDirectory: true)
        let zipURL = options.zip ? options.directory.appendingPathComponent("\(batch.id).zip") : nil
        try ExportDestination.check(directory: options.directory, targets: [(target, true)] + (zipURL.map { [($0, false)] } ?? []))

        let (shots, versions) = try engine.exportedVersions(batchID: batchID, allVersions: options.allVersions)
        let reviews = try engine.store.exportedReviews(batchID: batchID)
        let stages = try engine.approvalStages()
        // Forced re-renders that gave another picture: few, read at once.
        let reruns = try engine.store.renderDrifts(of: nil)
        var entries: [JSONObject] = []
        var images: [(path: String, entry: Int, version: ExportedVersion, image: ExportedImage)] = []
        var counts = Dictionary(uniqueKeysWithValues: Self.reportCounts.map { ($0, 0) })
        counts["planned"] = shots
        for version in versions {
            guard ShotID.isValid(version.shotID) else { throw ExportError(message: "shot id \(TextSanitizer.quoted(version.shotID)) cannot name a file") }
            if options.approvedOnly && version.review != .approved { continue }
            var file: String?
            if let image = version.image {
                let path = "images/\(version.shotID)_v\(version.number).\(ArtifactFiles.fileExtension(forMIME: image.mime))"
                images.append((path, entries.count, version, image))
                file = path
            }
            switch version.renderStatus {
            case .rendered: counts["rendered", default: 0] += 1
            case .failed, .blocked: counts["failed", default: 0] += 1
            default: break
            }
            counts[version.review.rawValue, default: 0] += 1
            var entry: JSONObject = [
                "shot_id": .string(version.shotID), "version": .number(Double(version.number)), "hash": .string(version.hash),
                "seed": .number(Double(version.seed)), "status": .string(version.renderStatus.rawValue),
                "review": .string(version.review.rawValue), "reviewer": version.reviewer.map(JSONValue.string) ?? .null,
                "note": version.note.map(JSONValue.string) ?? .null, "file": file.map(JSONValue.string) ?? .null,
                // The bundle's file (with its provenance) and the picture as rendered.
                "image_sha256": version.image.map { .string($0.sha256) } ?? .null,
                "render_sha256": version.image.map { .string($0.sha256) } ?? .null,
                "provenance_sha256": .null,
                "not_reproduced": .array(
                    version.image.map {
                        RenderDrift.reasons(
                            providerMeta: $0.providerMeta, sentPrompt: $0.compiledPrompt, seed: version.seed, imageSHA256: $0.sha256,
                            reruns: reruns[version.hash] ?? [])
                    }?.map(JSONValue.string) ?? []),
            ]
            for member in ReviewExport.fields(shotID: version.shotID, version: version.number, reviews: reviews) { entry[member.key] = member.value }
            let notes = ReviewExport.noteCounts(.object(entry))
            counts["open_notes", default: 0] += notes.open
            counts["resolved_notes", default: 0] += notes.resolved
            entries.append(entry)
        }
        let metrics = try engine.metrics(batchID: batchID)
        var report = JSONObject()
        for key in Self.reportCounts { report[key] = .number(Double(counts[key] ?? 0)) }
        report["exported"] = .number(Double(entries.count))
        report["cache_hits"] = .number(Double(metrics.cacheHits))
        report["renders_executed"] = .number(Double(metrics.rendersExecuted))
        report["render_seconds_p50"] = metrics.renderSecondsP50.map(JSONValue.number) ?? .null
        report["render_seconds_p95"] = metrics.renderSecondsP95.map(JSONValue.number) ?? .null

        // Paths sort "images/…" before the text files (index.html, manifest.json, report.*);
        // SHA256SUMS comes last.
        images.sort { $0.path < $1.path }
        // Exports of this batch to this place take turns: each would otherwise clear the
        // other's staging files as leftovers of a killed export.
        let lock = try ExportLock(directory: options.directory, name: batch.id)
        defer { lock.release() }
        let writer = try BundleWriter(directory: target, zip: zipURL, root: batch.id)
        // Specs compiled for the provenance of renders that recorded no prompt (the mock keeps
        // one metadata text per look), read a page at a time as the images are written.
        var specs: [VersionKey: JSONObject] = [:]
        for (index, exported) in images.enumerated() {
            if index % Self.specPage == 0 {
                let page = images[index..<min(index + Self.specPage, images.count)]
                    .filter { $0.image.mime == "image/png" && ImageProvenance.sentPrompt(recordedIn: $0.image) == nil }
                specs = try engine.store.specs(of: page.map { VersionKey(shotID: $0.version.shotID, version: $0.version.number) })
            }
            let source = exported.image.path
            let rendered = try files.read(source, verify: false)
            // An image changed on disk must not leave the building under the recorded hash.
            if !exported.image.sha256.isEmpty, SHA256Hex.digest(rendered) != exported.image.sha256 {
                throw ExportError(message: "the image of \(exported.path) in the project (\(source)) does not match its SHA-256; render the shot again")
            }
            var bytes = rendered
            if exported.image.mime == "image/png" {
                let provenance = try provenance(of: exported.version, image: exported.image, specs: specs)
                do {
                    let embedded = try ImageProvenance.embed(provenance, in: rendered)
                    bytes = embedded.png
                    entries[exported.entry]["provenance_sha256"] = .string(SHA256Hex.digest(Array(embedded.text.utf8)))
                } catch {
                    throw ExportError(message: "the image of \(exported.path) in the project (\(source)) is not a well-formed PNG (\(error)); render the shot again")
                }
            }
            entries[exported.entry]["image_sha256"] = .string(try writer.add(exported.path, bytes, compressed: true))
            options.progress?(index + 1, images.count)
        }
        let listed = entries.map(JSONValue.object)
        let manifest: JSONValue = [
            "generator": "autodirector", "format_version": 1,
            "hashing": "SHA-256 of the RFC 8785 canonical form of each spec",
            "batch": [
                "id": .string(batch.id), "source": .string(batch.sourceName), "source_sha256": .string(batch.sourceSHA256),
                "preset": batch.preset.map(JSONValue.string) ?? .null,
            ],
            "selection": ["approved_only": .bool(options.approvedOnly), "all_versions": .bool(options.allVersions)],
            "approval_stages": .array(stages.names.map(JSONValue.string)),
            "shots": .array(listed),
        ]
        try writer.add("index.html", Array(ContactSheet.html(batch: batch, entries: listed, stages: stages).utf8))
        try writer.add("manifest.json", Array((JSONWriter.pretty(manifest) + "\n").utf8))
        try writer.add("report.json", Array((JSONWriter.pretty(.object(report)) + "\n").utf8))
        try writer.add("report.md", Array(Self.markdown(batch: batch, report: report, entries: listed, stages: stages).utf8))
        try writer.finish()
        return ExportResult(directory: target, zip: zipURL, entries: entries.count, images: images.count, bytes: writer.bytesWritten)
    }

    /// The provenance a version's exported picture carries: the structured prompt its render
    /// recorded as sent, else its spec's (compiled as rendering compiles it).
    private func provenance(of version: ExportedVersion, image: ExportedImage, specs: [VersionKey: JSONObject]) throws -> JSONObject {
        if let sent = ImageProvenance.sentPrompt(recordedIn: image) {
            return ImageProvenance.object(of: version, image: image, asked: GenerationParameters(), prompt: sent)
        }
        guard let spec = specs[VersionKey(shotID: version.shotID, version: version.number)] else {
            throw ExportError(message: "\(TextSanitizer.visible(version.shotID)) v\(version.number) was removed during the export")
        }
        return ImageProvenance.object(of: version, image: image, asked: GenerationParameters(spec: spec), prompt: StructuredPrompt.forSpec(spec))
    }

    /// Versions whose specs are read together for their pictures' provenance.
    static let specPage = 1024

    /// The counts `report.json` and `report.md` give, in this order.
    static let reportCounts = [
        "planned", "rendered", "failed", "approved", "rejected", "pending", "changes_requested", "on_hold", "open_notes", "resolved_notes",
    ]

    static func markdown(batch: Batch, report: JSONObject, entries: [JSONValue], stages: ApprovalStages) -> String {
        func count(_ key: String) -> String { report[key].map(JSONWriter.compact) ?? "0" }
        var lines = [
            "# Export of batch \(batch.id)", "",
            "Source: \(TextSanitizer.visible(batch.sourceName)) (SHA-256 \(batch.sourceSHA256))",
            "Preset: \(batch.preset.map { TextSanitizer.visible($0) } ?? "none")", "",
            "| planned | exported | rendered | failed | approved | changes requested | on hold | rejected | pending | cache hits |",
            "|---|---|---|---|---|---|---|---|---|---|",
            "| \(count("planned")) | \(count("exported")) | \(count("rendered")) | \(count("failed")) | \(count("approved")) "
                + "| \(count("changes_requested")) | \(count("on_hold")) | \(count("rejected")) | \(count("pending")) | \(count("cache_hits")) |",
            "", "Render time p50: \(count("render_seconds_p50")) s, p95: \(count("render_seconds_p95")) s.",
            "Notes: \(count("open_notes")) open, \(count("resolved_notes")) resolved.", "",
        ]
        if stages.isStaged { lines += ["Approval stages, in order: \(stages.text).", ""] }
        lines += [
            "| shot | version | review |\(stages.isStaged ? " stages |" : "") retakes | assignee | notes (open/resolved) | hash | image |",
            "|---|---|---|\(stages.isStaged ? "---|" : "")---|---|---|---|---|",
        ]
        for entry in entries {
            let shot = TextSanitizer.visible(entry["shot_id"]?.stringValue ?? "")
            let hash = String((entry["hash"]?.stringValue ?? "").prefix(12))
            let file = entry["file"]?.stringValue ?? "not rendered"
            let review = entry["review"]?.stringValue ?? ""
            let approved = entry["approved_stages"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let progress = stages.isStaged ? " \(stages.progress(approved: approved, status: ReviewStatus(rawValue: review) ?? .pending)) |" : ""
            let notes = ReviewExport.noteCounts(entry)
            let assignee = entry["assignee"]?.stringValue.map(Markdown.inline) ?? "-"
            let retakes = Int(entry["retakes"]?.numberValue ?? 0)
            lines.append(
                "| \(shot) | v\(Int(entry["version"]?.numberValue ?? 0)) | \(review) |\(progress) \(retakes) | \(assignee) "
                    + "| \(notes.open)/\(notes.resolved) | \(hash) | \(file) |")
        }
        lines += ReviewExport.markdownNotes(entries)
        let drifted = entries.filter { !($0["not_reproduced"]?.arrayValue ?? []).isEmpty }
        if !drifted.isEmpty {
            lines += ["", "## Not reproduced", "", "The provider answered these renders with another seed or structured prompt than was sent:", ""]
            for entry in drifted {
                let reasons = (entry["not_reproduced"]?.arrayValue ?? []).compactMap(\.stringValue).map(Markdown.inline)
                lines.append("- \(TextSanitizer.visible(entry["shot_id"]?.stringValue ?? "")) v\(Int(entry["version"]?.numberValue ?? 0)): \(reasons.joined(separator: " "))")
            }
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
        try BatchExporter(engine: self, files: artifacts).export(batchID: batchID, options: options)
    }

    /// Exports each of `batchIDs` (every batch of the project when nil), one bundle each, in
    /// order; stops at the first failure, leaving the bundles written before it in place.
    public func export(batchIDs: [String]?, options: ExportOptions) throws -> [ExportResult] {
        try (batchIDs ?? batches().map(\.id)).map { try export(batchID: $0, options: options) }
    }
}
