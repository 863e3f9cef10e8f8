import Foundation

/// Start from a picture (SPEC §18): the prompt model reads it (with a note, if any) and its
/// answer becomes a shot's next version, or a new shot of a batch: a spec that freezes that
/// structured prompt and records the picture's SHA-256 and file name.
extension Engine {
    /// The most a picture sent to the prompt model may weigh.
    public static let inspirationLimit = 20 << 20

    /// Sends the picture to the prompt model and stores its answer as the next version of the
    /// shot (origin `inspire`, the parent's seed, output and generation parameters kept), and
    /// queues its render. A model failure, or a picture that is not PNG, JPEG or WEBP, stores
    /// nothing and says why.
    public func inspire(_ shotID: String, image: [UInt8], fileName: String, note: String?, model: any PromptModel) async throws -> RerenderResult {
        try Self.checkPicture(image, fileName: fileName)
        let note = try note.map(Self.authoringNote)
        let base = try await Blocking.run { try self.version(of: shotID) }
        let (answer, source) = try await read(image, fileName: fileName, note: note, model: model)
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

    /// A new shot from a picture: the prompt model's answer frozen in a spec with the batch's
    /// look (its defaults and preset: output and generation parameters), the picture's SHA-256
    /// and file name, and a seed derived as the planner derives one. It is stored in the batch
    /// after the shots of its file, as `id` (default `INSPIRE-` and the picture's digest), its
    /// subject the answer's short description; its render is queued. Nothing is stored when the
    /// model fails or the id is taken.
    public func inspireShot(
        batchID: String, id: String?, image: [UInt8], fileName: String, note: String?, model: any PromptModel
    ) async throws -> RerenderResult {
        try Self.checkPicture(image, fileName: fileName)
        let note = try note.map(Self.authoringNote)
        let shotID = id ?? "INSPIRE-" + SHA256Hex.digest(image).prefix(12).uppercased()
        if let problem = ShotID.problem(shotID) { throw InvalidSpecError(shotID: shotID, violations: [SpecViolation(path: "shot_id", message: problem)]) }
        let look = try await Blocking.run { () throws -> JSONObject in
            let batch = try self.batch(batchID)
            if try self.store.shotIsRegistered(shotID) { throw EngineError.shotIDTaken(shotID) }
            let catalog = try self.planningAssets(batchID: batchID)
            var look = JSONValue.object(try catalog.defaults())
            if let preset = batch.preset { look = MergePatch.apply(try catalog.preset(preset).patch, to: look) }
            return look.objectValue ?? JSONObject()
        }
        let (answer, source) = try await read(image, fileName: fileName, note: note, model: model)
        let described = answer["short_description"]?.stringValue.map { TextSanitizer.visible($0).trimmingCharacters(in: .whitespaces) } ?? ""
        let subject = String((described.isEmpty ? source.imageFile ?? shotID : described).prefix(120))
        var base = look
        base["shot_id"] = .string(shotID)
        base["subject"] = .string(subject)
        let hashed = try FrozenPrompt.hashed(FrozenPrompt.spec(from: base, prompt: answer, source: source), shotID: shotID)
        var applied = [AppliedRule(
            kind: .inspire, reason: "inspire: a new shot of batch \(TextSanitizer.visible(batchID)) from \(source.imageFile ?? "a picture") (SHA-256 \(source.imageSHA256?.prefix(12) ?? ""))"
                + (note.map { " with \(TextSanitizer.quoted($0, limit: 200))" } ?? ""))]
        if hashed.seedDerived { applied.append(AppliedRule(kind: .seed, reason: AppliedRule.derivedSeedReason)) }
        let shot = NewShot(id: shotID, batchID: batchID, subject: subject, hashed: hashed, rulesApplied: applied, origin: .inspire)
        return try await Blocking.run {
            guard case .inserted(let jobID) = try self.store.insertShot(shot, at: self.clock()) else { throw EngineError.shotIDTaken(shotID) }
            return RerenderResult(
                version: try self.version(of: shotID, number: 1), changes: JSONDiff.changes(from: .object(JSONObject()), to: .object(hashed.spec)),
                jobID: jobID)
        }
    }

    /// The picture read by the prompt model, and where its answer came from.
    private func read(_ image: [UInt8], fileName: String, note: String?, model: any PromptModel) async throws -> (JSONObject, SpecSource) {
        let answer: JSONObject
        do {
            answer = try await model.structuredPrompt(for: PromptModelRequest(text: note, image: image))
        } catch let error as PromptModelError {
            throw PromptModelError("The prompt model could not read \(TextSanitizer.quoted(fileName)): \(error.message) Nothing was stored.")
        }
        return (answer, SpecSource(kind: .inspire, note: note, imageSHA256: SHA256Hex.digest(image), imageFile: Self.shownName(fileName)))
    }

    /// A picture the prompt model may be sent: PNG, JPEG or WEBP, at most `inspirationLimit`.
    private static func checkPicture(_ image: [UInt8], fileName: String) throws {
        guard isPicture(image) else { throw PromptModelError("\(TextSanitizer.quoted(fileName)) is not a PNG, JPEG or WEBP picture. Nothing was stored.") }
        guard image.count <= inspirationLimit else {
            throw PromptModelError("\(TextSanitizer.quoted(fileName)) is larger than \(inspirationLimit >> 20) MiB, the most the prompt model is sent. Nothing was stored.")
        }
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
