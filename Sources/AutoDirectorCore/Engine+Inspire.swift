import Foundation

/// Start from a picture (SPEC §18): the prompt model reads it (with a note, if any) and its
/// answer becomes a shot's next version, a spec that freezes that structured prompt and records
/// the picture's SHA-256 and file name.
extension Engine {
    /// The most a picture sent to the prompt model may weigh.
    public static let inspirationLimit = 20 << 20

    /// Sends the picture to the prompt model and stores its answer as the next version of the
    /// shot (origin `inspire`, the parent's seed, output and generation parameters kept), and
    /// queues its render. A model failure, or a picture that is not PNG, JPEG or WEBP, stores
    /// nothing and says why.
    public func inspire(_ shotID: String, image: [UInt8], fileName: String, note: String?, model: any PromptModel) async throws -> RerenderResult {
        guard Self.isPicture(image) else { throw PromptModelError("\(TextSanitizer.quoted(fileName)) is not a PNG, JPEG or WEBP picture. Nothing was stored.") }
        guard image.count <= Self.inspirationLimit else {
            throw PromptModelError("\(TextSanitizer.quoted(fileName)) is larger than \(Self.inspirationLimit >> 20) MiB, the most the prompt model is sent. Nothing was stored.")
        }
        let note = try note.map(Self.authoringNote)
        let base = try await Blocking.run { try self.version(of: shotID) }
        let answer: JSONObject
        do {
            answer = try await model.structuredPrompt(for: PromptModelRequest(text: note, image: image))
        } catch let error as PromptModelError {
            throw PromptModelError("The prompt model could not read \(TextSanitizer.quoted(fileName)): \(error.message) Nothing was stored.")
        }
        let source = SpecSource(kind: .inspire, note: note, imageSHA256: SHA256Hex.digest(image), imageFile: Self.shownName(fileName))
        var spec = FrozenPrompt.spec(from: base.spec, prompt: answer, source: source)
        spec["seed"] = .number(Double(base.seed))
        let hashed = try FrozenPrompt.hashed(spec, shotID: shotID)
        if hashed.hash == base.hash { throw EngineError.patchChangesNothing(shotID, base.number) }
        var applied = base.rulesApplied
        applied.append(AppliedRule(
            kind: .inspire, reason: "inspire: \(source.imageFile ?? "a picture") (SHA-256 \(source.imageSHA256?.prefix(12) ?? ""))"
                + (note.map { " with \(TextSanitizer.quoted($0, limit: 200))" } ?? "")))
        let patched = PatchedSpec(
            hashed: hashed, changes: JSONDiff.changes(from: .object(FrozenPrompt.asSent(base.spec)), to: .object(hashed.spec)),
            rulesApplied: applied, origin: .inspire)
        return try await Blocking.run { try self.store(patched, base: base, baseWasLatest: true) }
    }

    /// PNG, JPEG or WEBP, by their signatures.
    static func isPicture(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: PNGTextChunk.signature) || bytes.starts(with: [0xFF, 0xD8, 0xFF])
            || (bytes.count >= 12 && bytes.starts(with: Array("RIFF".utf8)) && Array(bytes[8..<12]) == Array("WEBP".utf8))
    }

    /// The file's own name (no directories), visible characters only, as the spec records it.
    static func shownName(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return String(TextSanitizer.visible(name).prefix(255))
    }
}
