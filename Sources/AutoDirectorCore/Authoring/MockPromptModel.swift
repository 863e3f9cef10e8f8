/// The offline prompt model (the mock provider's, and the fake Bria server's): deterministic,
/// it answers the same request with the same structured prompt. A note is read as comma-
/// separated phrases, each changing one FIBO field as an art director's words would ("warmer",
/// "85 mm", "backlit", "soft shadows", "matte texture"); a phrase it has no field for becomes the
/// mood. A picture is read for its size and average colour.
public enum MockPromptModel {
    public static func answer(_ request: PromptModelRequest) -> JSONObject {
        var prompt: JSONObject
        if let given = request.structuredPrompt {
            prompt = given
        } else if let image = request.image {
            prompt = fromImage(image)
        } else {
            prompt = skeleton(description: request.text ?? "a product photograph")
            return StructuredPrompt.normalize(prompt)
        }
        if let note = request.text {
            for phrase in note.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) where !phrase.isEmpty {
                apply(phrase, to: &prompt)
            }
        }
        return StructuredPrompt.normalize(prompt)
    }

    /// One phrase of a note, applied to the field it names.
    static func apply(_ phrase: String, to prompt: inout JSONObject) {
        let words = phrase.lowercased()
        func has(_ any: String...) -> Bool { any.contains { words.contains($0) } }
        if let millimetres = focalLength(words) {
            set(&prompt, "photographic_characteristics", "lens_focal_length", .string("\(millimetres)mm"))
        } else if has("backlit", "back light", "backlight", "from behind") {
            set(&prompt, "lighting", "direction", "from behind the subject, backlit")
        } else if has("side light", "from the side", "sidelit") {
            set(&prompt, "lighting", "direction", "from the side")
        } else if has("warm") {
            set(&prompt, "lighting", "conditions", "warm golden-hour light")
            set(&prompt, "aesthetics", "color_scheme", "warm tones")
        } else if has("cool", "cold") {
            set(&prompt, "lighting", "conditions", "cool daylight")
            set(&prompt, "aesthetics", "color_scheme", "cool tones")
        } else if has("shadow") {
            set(&prompt, "lighting", "shadows", .string(phrase))
        } else if has("texture", "matte", "glossy", "brushed", "grain") {
            var objects = prompt["objects"]?.arrayValue ?? []
            var first = objects.first?.objectValue ?? ["description": "the product", "location": "center", "relationship": "alone in the frame"]
            first["texture"] = .string(phrase)
            if objects.isEmpty { objects.append(.object(first)) } else { objects[0] = .object(first) }
            prompt["objects"] = .array(objects)
        } else if has("close", "macro", "wide", "overhead", "angle") {
            set(&prompt, "photographic_characteristics", "camera_angle", .string(phrase))
        } else if has("depth of field", "bokeh", "blur") {
            set(&prompt, "photographic_characteristics", "depth_of_field", .string(phrase))
        } else if has("background", "backdrop") {
            prompt["background_setting"] = .string(phrase)
        } else {
            set(&prompt, "aesthetics", "mood_atmosphere", .string(phrase))
        }
    }

    /// `85 mm`, `85mm`, `35-mm`: the number before "mm".
    static func focalLength(_ words: String) -> Int? {
        let scalars = Array(words.unicodeScalars)
        for index in scalars.indices.dropLast() where scalars[index] == "m" && scalars[index + 1] == "m" {
            var end = index
            while end > 0, scalars[end - 1] == " " || scalars[end - 1] == "-" { end -= 1 }
            var start = end
            while start > 0, ("0"..."9").contains(scalars[start - 1]) { start -= 1 }
            if start < end, end - start <= 4, let value = Int(String(String.UnicodeScalarView(scalars[start..<end]))), value > 0 { return value }
        }
        return nil
    }

    private static func set(_ prompt: inout JSONObject, _ object: String, _ field: String, _ value: JSONValue) {
        var inner = prompt[object]?.objectValue ?? JSONObject()
        inner[field] = value
        prompt[object] = .object(inner)
    }

    /// A whole structured prompt for a description.
    static func skeleton(description: String) -> JSONObject {
        [
            "short_description": .string(description),
            "objects": [["description": .string(description), "location": "center", "relationship": "alone in the frame"]],
            "background_setting": "a plain studio backdrop",
            "lighting": ["conditions": "soft studio light", "direction": "from the front left", "shadows": "soft shadows"],
            "aesthetics": ["composition": "centered", "color_scheme": "neutral", "mood_atmosphere": "clean"],
            "photographic_characteristics": ["depth_of_field": "medium", "focus": "sharp on the subject", "camera_angle": "eye level", "lens_focal_length": "50mm"],
            "style_medium": "photograph",
            "context": "a product photograph",
            "artistic_style": "realistic",
        ]
    }

    /// What a picture says: its size and average colour (a PNG), else its digest.
    static func fromImage(_ bytes: [UInt8]) -> JSONObject {
        guard let image = try? PNGCodec.decode(bytes), image.width > 0, image.height > 0 else {
            return skeleton(description: "a picture (\(SHA256Hex.digest(bytes).prefix(12)))")
        }
        var sums = [0, 0, 0]
        for index in stride(from: 0, to: image.rgb.count, by: 3) {
            for channel in 0..<3 { sums[channel] += Int(image.rgb[index + channel]) }
        }
        let pixels = image.width * image.height
        let average = sums.map { $0 / pixels }
        let hex = "#" + average.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        var prompt = skeleton(description: "a \(image.width)×\(image.height) picture, mostly \(hex)")
        set(&prompt, "aesthetics", "color_scheme", .string("dominated by \(hex)"))
        return prompt
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
