import Foundation

/// A version's structured prompt rewritten by the prompt model from a note, not stored yet: the
/// reviewer sees FIBO's fields that change and confirms (SPEC §18).
public struct Refinement: Sendable, Equatable {
    /// The version refined.
    public var base: ShotVersion
    /// Whether `base` was the latest when the model was asked: storing it then requires it
    /// still is (a version stored meanwhile is not silently branched from).
    public var baseWasLatest: Bool
    public var note: String
    /// The spec the new version freezes: the answer as its structured prompt, the parent's seed.
    public var hashed: HashedSpec
    /// FIBO's fields that change, from the parent's structured prompt (compiled, in internal
    /// mode) to the answer: `lighting.direction`, `objects[0].texture`.
    public var changes: [JSONChange]
}

extension Engine {
    /// Asks the prompt model to refine a version (the latest by default) with a note, and
    /// returns the result without storing anything. A model failure or an answer that is not a
    /// valid structured prompt throws `PromptModelError` and stores nothing.
    public func proposeRefinement(_ shotID: String, note: String, version number: Int? = nil, model: any PromptModel) async throws -> Refinement {
        let note = try Self.authoringNote(note)
        let (base, latest) = try await Blocking.run { () throws -> (ShotVersion, Int) in
            let base = try self.version(of: shotID, number: number)
            return (base, try self.shot(shotID).latestVersion)
        }
        let current = StructuredPrompt.forSpec(base.spec)
        let answer: JSONObject
        do {
            answer = try await model.structuredPrompt(for: PromptModelRequest(structuredPrompt: current, text: note))
        } catch let error as PromptModelError {
            throw PromptModelError("The prompt model could not refine \(TextSanitizer.visible(shotID)) v\(base.number): \(error.message) Nothing was stored.")
        }
        var spec = FrozenPrompt.spec(from: base.spec, prompt: answer, source: SpecSource(kind: .refine, note: note))
        spec["seed"] = .number(Double(base.seed))
        let hashed = try FrozenPrompt.hashed(spec, shotID: shotID)
        let refined = StructuredPrompt.forSpec(hashed.spec)
        let changes = JSONDiff.changes(from: .object(current), to: .object(refined))
        if changes.isEmpty || hashed.hash == base.hash {
            throw PromptModelError("The prompt model changed nothing in \(TextSanitizer.visible(shotID)) v\(base.number) for that note. Nothing was stored.")
        }
        return Refinement(base: base, baseWasLatest: base.number == latest, note: note, hashed: hashed, changes: changes)
    }

    /// Stores a refinement as the shot's next version (origin `refine`) and queues its render.
    public func acceptRefinement(_ refinement: Refinement) throws -> RerenderResult {
        let base = refinement.base
        let fields = refinement.changes.map { TextSanitizer.visible($0.dottedPath) }.joined(separator: ", ")
        var applied = base.rulesApplied
        applied.append(AppliedRule(kind: .refine, reason: "refine \(TextSanitizer.quoted(refinement.note, limit: 200)) → \(fields)"))
        let patched = PatchedSpec(
            hashed: refinement.hashed, changes: JSONDiff.changes(from: .object(base.spec), to: .object(refinement.hashed.spec)),
            rulesApplied: applied, origin: .refine)
        return try store(patched, base: base, baseWasLatest: refinement.baseWasLatest)
    }

    /// Stores a version made outside `rerender` (a refinement, a picked variant) and queues its
    /// render; refused when `base` was the latest and no longer is.
    func store(_ patched: PatchedSpec, base: ShotVersion, baseWasLatest: Bool) throws -> RerenderResult {
        let inserted = try EngineError.reporting {
            try store.insertPatchedVersion(patched, base: base, baseWasLatest: baseWasLatest, at: clock())
        }
        guard case .inserted(let number, let jobID) = inserted else { throw EngineError.baseMoved(base.shotID, base.number) }
        return RerenderResult(version: try version(of: base.shotID, number: number), changes: patched.changes, jobID: jobID)
    }

    /// A note for the prompt model: visible text, not empty, within the limit.
    static func authoringNote(_ text: String) throws -> String {
        let note = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty else { throw EngineError.emptyNote }
        guard note.count <= SpecSource.textLimit else { throw EngineError.noteTooLong(limit: SpecSource.textLimit) }
        return TextSanitizer.visible(note)
    }
}

/// A spec that freezes a structured prompt the prompt model answered (structured-prompt mode).
enum FrozenPrompt {
    /// The spec of `base`'s shot with `prompt` frozen: its id, subject, output and generation
    /// parameters kept, and where the prompt came from.
    static func spec(from base: JSONObject, prompt: JSONObject, source: SpecSource) -> JSONObject {
        var spec = JSONObject()
        spec["shot_id"] = base["shot_id"]
        if let subject = base["subject"], subject.stringValue != nil { spec["subject"] = subject }
        spec["structured_prompt"] = .object(StructuredPrompt.normalize(prompt))
        spec[SpecSource.key] = source.json
        spec["output"] = base["output"] ?? ["width": 1024, "height": 1024]
        if let generation = base[GenerationParameters.key] { spec[GenerationParameters.key] = generation }
        return spec
    }

    /// A spec as it is sent: in structured-prompt mode, with its compiled prompt when it is in
    /// internal mode. Two versions of different modes are compared this way, field by field of
    /// FIBO's prompt, instead of as a whole prompt added and every parameter removed.
    static func asSent(_ spec: JSONObject) -> JSONObject {
        guard spec["structured_prompt"] == nil else { return spec }
        var sent = JSONObject()
        sent["shot_id"] = spec["shot_id"]
        if let subject = spec["subject"] { sent["subject"] = subject }
        sent["structured_prompt"] = .object(StructuredPrompt.forSpec(spec))
        for key in ["output", GenerationParameters.key, "seed"] { if let value = spec[key] { sent[key] = value } }
        return sent
    }

    /// The spec validated and hashed; an answer that is not a valid structured prompt is the
    /// model's failure, said as such.
    static func hashed(_ spec: JSONObject, shotID: String) throws -> HashedSpec {
        let violations = SpecValidator.violations(of: spec)
        guard violations.isEmpty else {
            let list = violations.prefix(5).map { "\($0.path) \($0.message)" }.joined(separator: "; ")
            throw PromptModelError("The prompt model answered a structured prompt that is not valid for \(TextSanitizer.visible(shotID)) (\(list)). Nothing was stored.")
        }
        return try SpecHasher.hash(spec)
    }
}
