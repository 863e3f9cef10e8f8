/// Validates a shot spec in either mode (SPEC §3) and lists every violation by JSON path.
///
/// Unknown fields are violations too: a typo in a patch (`camra.fov=60`) must be refused, not
/// silently stored as a field the renderer ignores.
public enum SpecValidator {
    /// Fields that describe a version rather than the image; storyboards may carry them
    /// (e.g. re-ingesting an export) and they are dropped before hashing (SPEC §2).
    public static let volatileFields: Set<String> = [
        "hash", "parent_hash", "status", "review", "created_at", "rules_applied", "version",
    ]

    public static func violations(of spec: JSONObject) -> [SpecViolation] {
        var check = Checker()
        check.depth(spec)
        check.shotID(spec["shot_id"])
        if spec["structured_prompt"] != nil {
            check.structuredPromptMode(spec)
        } else {
            check.internalMode(spec)
        }
        return check.violations
    }

    public static func validate(_ spec: JSONObject) throws {
        let found = violations(of: spec)
        if !found.isEmpty {
            throw InvalidSpecError(shotID: spec["shot_id"]?.stringValue, violations: found)
        }
    }
}

private struct Checker {
    var violations: [SpecViolation] = []

    mutating func fail(_ path: String, _ message: String) {
        violations.append(SpecViolation(path: path, message: message))
    }

    /// The same limit the parsers and the store apply, so a spec that passes can be read back.
    mutating func depth(_ spec: JSONObject) {
        guard let path = JSONDepth.pathBeyondLimit(in: .object(spec)) else { return }
        let shown = TextSanitizer.visible(JSONDiff.dottedPath(path), limit: 60)
        fail(shown, "nests deeper than \(JSONDepth.limit) levels, the most a spec may nest")
    }

    mutating func shotID(_ value: JSONValue?) {
        guard let value else { return fail("shot_id", "is required") }
        guard let id = value.stringValue else { return fail("shot_id", "must be a string (got \(value.kindName))") }
        if let problem = ShotID.problem(id) { fail("shot_id", problem) }
    }

    mutating func internalMode(_ spec: JSONObject) {
        unknownKeys(spec, allowed: Fields.internalMode, at: "")
        if let subject = spec["subject"] {
            if subject.stringValue == nil { fail("subject", "must be a string (got \(subject.kindName))") }
        } else {
            fail("subject", "is required")
        }
        if let attributes = spec["attributes"] {
            if let object = attributes.objectValue {
                for member in object where member.value.stringValue == nil {
                    fail("attributes.\(member.key)", "must be a string (got \(member.value.kindName))")
                }
            } else {
                fail("attributes", "must be an object of strings (got \(attributes.kindName))")
            }
        }
        if let camera = object(spec, "camera", at: "camera") {
            unknownKeys(camera, allowed: Fields.camera, at: "camera")
            number(camera["fov"], at: "camera.fov", rule: "must be greater than 0 and less than 180") { $0 > 0 && $0 < 180 }
            vector(camera["position"], at: "camera.position")
            vector(camera["rotation"], at: "camera.rotation")
        }
        if let lens = object(spec, "lens", at: "lens") {
            unknownKeys(lens, allowed: Fields.lens, at: "lens")
            number(lens["aperture"], at: "lens.aperture", rule: "must be greater than 0") { $0 > 0 }
            number(lens["focal_length"], at: "lens.focal_length", rule: "must be greater than 0") { $0 > 0 }
        }
        if let lighting = object(spec, "lighting", at: "lighting") {
            unknownKeys(lighting, allowed: Fields.lighting, at: "lighting")
            light(lighting["key_light"], at: "lighting.key_light", required: true)
            light(lighting["rim_light"], at: "lighting.rim_light", required: false)
        }
        if let color = object(spec, "color", at: "color") {
            unknownKeys(color, allowed: Fields.color, at: "color")
            if let palette = color["palette"] {
                if let entries = palette.arrayValue {
                    for (index, entry) in entries.enumerated() { hexColor(entry, at: "color.palette[\(index)]") }
                } else {
                    fail("color.palette", "must be an array of #rrggbb colors (got \(palette.kindName))")
                }
            } else {
                fail("color.palette", "is required")
            }
        }
        if let background = object(spec, "background", at: "background") {
            unknownKeys(background, allowed: Fields.background, at: "background")
            if let hex = background["hex"] { hexColor(hex, at: "background.hex") } else { fail("background.hex", "is required") }
        }
        output(spec["output"])
        generation(spec[GenerationParameters.key])
        seed(spec["seed"])
    }

    mutating func structuredPromptMode(_ spec: JSONObject) {
        unknownKeys(spec, allowed: Fields.structuredPromptMode, at: "")
        if let subject = spec["subject"], subject.stringValue == nil {
            fail("subject", "must be a string (got \(subject.kindName))")
        }
        if let prompt = spec["structured_prompt"] {
            if let object = prompt.objectValue { structuredPrompt(object) } else {
                fail("structured_prompt", "must be an object (got \(prompt.kindName))")
            }
        }
        if let source = spec[SpecSource.key] { self.source(source) }
        output(spec["output"])
        generation(spec[GenerationParameters.key])
        seed(spec["seed"])
    }

    /// Where a frozen structured prompt came from (`SpecSource`).
    mutating func source(_ value: JSONValue) {
        let key = SpecSource.key
        guard let object = value.objectValue else { return fail(key, "must be an object (got \(value.kindName))") }
        unknownKeys(object, allowed: SpecSource.fields, at: key)
        oneOf(object["kind"], SpecSource.Kind.allCases.map(\.rawValue), at: "\(key).kind")
        if object["kind"] == nil { fail("\(key).kind", "is required") }
        for field in ["note", "image_file"] {
            guard let member = object[field] else { continue }
            guard let text = member.stringValue else { fail("\(key).\(field)", "must be a string (got \(member.kindName))"); continue }
            if text.count > SpecSource.textLimit { fail("\(key).\(field)", "is at most \(SpecSource.textLimit) characters (got \(text.count))") }
        }
        if let member = object["image_sha256"], !(member.stringValue.map(SpecSource.isSHA256) ?? false) {
            fail("\(key).image_sha256", "must be 64 lowercase hex digits")
        }
    }

    /// FIBO's schema (reference/bria-api-v2.md): known fields with the right types; null and
    /// empty values are allowed, as FIBO's serializer drops them.
    mutating func structuredPrompt(_ prompt: JSONObject) {
        unknownKeys(prompt, allowed: Fields.structuredPrompt, at: "structured_prompt")
        for member in prompt where !member.value.isNull {
            let path = "structured_prompt.\(member.key)"
            let expected: String
            let ok: Bool
            switch member.key {
            case "objects", "text_render":
                expected = "an array of objects"
                ok = member.value.arrayValue?.allSatisfy { $0.objectValue != nil } ?? false
                if member.key == "objects", let objects = member.value.arrayValue, objects.count > 5 {
                    fail(path, "has at most 5 objects (got \(objects.count))")
                }
            case "lighting", "aesthetics", "photographic_characteristics":
                expected = "an object"
                ok = member.value.objectValue != nil
            default:
                expected = "a string"
                ok = member.value.stringValue != nil
            }
            if !ok && Fields.structuredPrompt.contains(member.key) { fail(path, "must be \(expected) (got \(member.value.kindName))") }
        }
    }

    mutating func output(_ value: JSONValue?) {
        guard let value else { return fail("output", "is required") }
        guard let output = value.objectValue else { return fail("output", "must be an object (got \(value.kindName))") }
        unknownKeys(output, allowed: Fields.output, at: "output")
        let before = violations.count
        for side in ["width", "height"] {
            number(output[side], at: "output.\(side)", rule: "must be a positive multiple of 8 up to 4096") {
                $0 > 0 && $0 <= 4096 && $0 == $0.rounded() && Int($0) % 8 == 0
            }
        }
        // FIBO renders nine aspect ratios; a size of any other would come back cropped or
        // stretched, so it is refused here, at plan time, rather than found in the picture.
        guard violations.count == before, let width = output["width"]?.numberValue, let height = output["height"]?.numberValue,
              AspectRatio.of(width: width, height: height) == nil
        else { return }
        fail("output", "\(Int(width))×\(Int(height)) is not one of FIBO's native aspect ratios (\(AspectRatio.list)); "
            + "for example 1024×1024, 832×1248, 1248×832, 768×1024, 1024×768, 1344×768")
    }

    /// The optional generation parameters (`GenerationParameters`).
    mutating func generation(_ value: JSONValue?) {
        guard let value else { return }
        let key = GenerationParameters.key
        guard let object = value.objectValue else { return fail(key, "must be an object (got \(value.kindName))") }
        unknownKeys(object, allowed: GenerationParameters.fields, at: key)
        oneOf(object["model"], GenerationParameters.Model.allCases.map(\.rawValue), at: "\(key).model")
        oneOf(object["resolution"], GenerationParameters.Resolution.allCases.map(\.rawValue), at: "\(key).resolution")
        if let text = object["negative_prompt"] {
            if let string = text.stringValue {
                if string.count > GenerationParameters.negativePromptLimit {
                    fail("\(key).negative_prompt", "is at most \(GenerationParameters.negativePromptLimit) characters (got \(string.count))")
                }
            } else {
                fail("\(key).negative_prompt", "must be a string (got \(text.kindName))")
            }
        }
        let steps = GenerationParameters.steps
        if let value = object["steps_num"] {
            number(value, at: "\(key).steps_num", rule: "must be an integer from \(steps.lowerBound) to \(steps.upperBound)") {
                $0 == $0.rounded() && $0 >= Double(steps.lowerBound) && $0 <= Double(steps.upperBound)
            }
        }
        let guidance = GenerationParameters.guidance
        if let value = object["guidance_scale"] {
            number(value, at: "\(key).guidance_scale", rule: "must be a number from \(Int(guidance.lowerBound)) to \(Int(guidance.upperBound))") {
                guidance.contains($0)
            }
        }
    }

    mutating func oneOf(_ value: JSONValue?, _ allowed: [String], at path: String) {
        guard let value else { return }
        guard let text = value.stringValue, allowed.contains(text) else {
            let got = value.stringValue.map { TextSanitizer.quoted($0) } ?? value.kindName
            return fail(path, "must be one of \(allowed.joined(separator: ", ")) (got \(got))")
        }
    }

    mutating func seed(_ value: JSONValue?) {
        // Absent means "derive it" (SPEC §2); present means it must be a valid unsigned 32-bit integer.
        guard let value else { return }
        number(value, at: "seed", rule: "must be an integer from 0 to 4294967295") {
            $0 >= 0 && $0 <= Double(UInt32.max) && $0 == $0.rounded()
        }
    }

    mutating func light(_ value: JSONValue?, at path: @autoclosure () -> String, required: Bool) {
        guard let value else {
            if required { fail(path(), "is required") }
            return
        }
        guard let light = value.objectValue else { return fail(path(), "must be an object (got \(value.kindName))") }
        unknownKeys(light, allowed: Fields.light, at: path())
        number(light["intensity"], at: "\(path()).intensity", rule: "must be 0 or greater") { $0 >= 0 }
        vector(light["position"], at: "\(path()).position")
    }

    mutating func vector(_ value: JSONValue?, at path: @autoclosure () -> String) {
        guard let value else { return fail(path(), "is required") }
        guard let vector = value.objectValue else { return fail(path(), "must be an object with x, y, z (got \(value.kindName))") }
        unknownKeys(vector, allowed: Fields.vector, at: path())
        for axis in ["x", "y", "z"] {
            number(vector[axis], at: "\(path()).\(axis)", rule: "must be a number") { _ in true }
        }
    }

    mutating func hexColor(_ value: JSONValue, at path: @autoclosure () -> String) {
        guard let text = value.stringValue else { return fail(path(), "must be a #rrggbb color (got \(value.kindName))") }
        if HexColor(text) == nil { fail(path(), "must be a #rrggbb color (got \(TextSanitizer.quoted(text)))") }
    }

    mutating func number(_ value: JSONValue?, at path: @autoclosure () -> String, rule: @autoclosure () -> String, _ accept: (Double) -> Bool) {
        guard let value else { return fail(path(), "is required") }
        guard let number = value.numberValue else { return fail(path(), "must be a number (got \(value.kindName))") }
        if !accept(number) { fail(path(), "\(rule()) (got \(CanonicalJSON.formatNumber(number)))") }
    }

    mutating func object(_ parent: JSONObject, _ key: String, at path: String) -> JSONObject? {
        guard let value = parent[key] else {
            fail(path, "is required")
            return nil
        }
        guard let object = value.objectValue else {
            fail(path, "must be an object (got \(value.kindName))")
            return nil
        }
        return object
    }

    mutating func unknownKeys(_ object: JSONObject, allowed: Set<String>, at path: @autoclosure () -> String) {
        // Compared by scalars (a set of `String` would take a canonically equivalent spelling
        // for a known field); the key is written as a dotted path would need it (`["odd.key"]`).
        for member in object where !allowed.contains(where: { ScalarText.equal($0, member.key) }) {
            let key = JSONDiff.dottedPath([.key(member.key)])
            let full = path().isEmpty ? key : key.hasPrefix("[") ? "\(path())\(key)" : "\(path()).\(key)"
            fail(TextSanitizer.visible(full, limit: 200), "is not a known field (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
    }
}

/// The fields each object of a spec may have.
private enum Fields {
    static let internalMode: Set<String> = [
        "shot_id", "subject", "attributes", "camera", "lens", "lighting", "color", "background", "output", GenerationParameters.key, "seed",
    ]
    static let structuredPromptMode: Set<String> = ["shot_id", "subject", "structured_prompt", "source", "output", GenerationParameters.key, "seed"]
    static let structuredPrompt = Set(StructuredPrompt.keyOrder)
    static let camera: Set<String> = ["fov", "position", "rotation"]
    static let lens: Set<String> = ["aperture", "focal_length"]
    static let lighting: Set<String> = ["key_light", "rim_light"]
    static let color: Set<String> = ["palette"]
    static let background: Set<String> = ["hex"]
    static let output: Set<String> = ["width", "height"]
    static let light: Set<String> = ["intensity", "position"]
    static let vector: Set<String> = ["x", "y", "z"]
}
