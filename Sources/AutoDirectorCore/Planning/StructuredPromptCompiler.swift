import Foundation

/// Compiles an internal-mode shot spec (SPEC §3) into FIBO's `structured_prompt`.
///
/// The compiler is a pure function of the spec: no randomness, no clock, no locale. Every
/// sentence is built from the spec's numbers by fixed thresholds, and numbers are written by a
/// private formatter (`50`, `2.8`, `0.7`), so the same spec always gives the same prompt, member
/// order included.
///
/// Conventions (studio frame, right-handed): +x is camera-right, +y is up, +z points toward the
/// camera, which sits at +z looking at the origin where the product stands.
/// - Camera position offsets the product in the frame: a camera moved right (+x) or up (+y)
///   sees the product left of / below center. Offsets are measured against the half extent of
///   the view at the product, `|position| · tan(fov / 2)`, which also decides the framing.
/// - Camera elevation is the angle of the camera position above the x-z plane.
/// - `camera.rotation.y` (degrees, counter-clockwise seen from above) is described as the
///   product being turned that many degrees to the left (negative: to the right).
/// - Light directions name where the light comes from, with a dead zone of 10% of the
///   position's length per axis, so (0.1, 3, 4) is "upper front".
///
/// The subject and attribute values are untrusted text: they are only ever inserted as data
/// (`TextSanitizer.plain`: invisible bidi and zero-width characters dropped, whitespace runs and
/// control characters collapsed to one space, trimmed, subject capped at 200 characters,
/// attribute values at 100), never interpreted.
public enum StructuredPromptCompiler {
    /// Longest subject, in characters, used in sentences.
    static let subjectLimit = 200
    /// Longest attribute value, in characters, used in sentences.
    static let attributeLimit = 100
    /// Most palette colors named in the color scheme.
    static let paletteLimit = 8

    /// Compiles an internal-mode shot spec (already validated) into FIBO's structured_prompt, in FIBO key order.
    public static func compile(_ spec: JSONObject) -> JSONObject {
        let shot = Inputs(spec)
        let framing = Framing(halfExtent: shot.halfExtent)
        let location = locationText(camera: shot.cameraPosition, halfExtent: shot.halfExtent)
        let elevation = Elevation(shot.cameraPosition)
        let turn = Orientation(yaw: shot.cameraRotation.y)
        let finish = shot.finish.map(Finish.init)
        let background = shot.backgroundHex.flatMap(Color.init(hex:))
        let palette = shot.palette.compactMap(Color.init(hex:))
        let toneSource = palette.isEmpty ? (background.map { [$0] } ?? []) : palette
        let tone = toneSource.isEmpty ? nil : Tone(toneSource)

        var prompt = JSONObject()
        prompt["short_description"] = .string(
            shortDescription(shot, finish: finish, background: background, framing: framing,
                             location: location, elevation: elevation))
        prompt["objects"] = .array([
            .object(subjectObject(shot, finish: finish, framing: framing, location: location, turn: turn))
        ])
        prompt["background_setting"] = .string(backgroundSetting(background))
        prompt["lighting"] = .object(lighting(shot, finish: finish))
        prompt["aesthetics"] = .object(
            aesthetics(shot, framing: framing, location: location, palette: palette,
                       background: background, tone: tone))
        prompt["photographic_characteristics"] = .object(
            photographicCharacteristics(shot, framing: framing, elevation: elevation, turn: turn))
        prompt["style_medium"] = "photograph"
        prompt["text_render"] = .array([])
        prompt["context"] = .string(context(shot))
        prompt["artistic_style"] = "photorealistic commercial studio"
        return StructuredPrompt.normalize(prompt)
    }

    // MARK: - Sections

    private static func shortDescription(
        _ shot: Inputs, finish: Finish?, background: Color?, framing: Framing, location: String,
        elevation: Elevation
    ) -> String {
        var first = "A photorealistic studio product photo of \(shot.subject)\(makeup(shot))"
        if let background {
            first += ", on a seamless \(background.name) (\(background.hex)) background"
        } else {
            first += ", on a seamless studio background"
        }
        let placement = location == "center" ? "is centered and" : "sits \(location),"
        let second = "Shot \(elevation.clause) with \(framing.phrase); the product \(placement) sharply detailed"
        return sentence(first) + " " + sentence(second)
    }

    private static func subjectObject(
        _ shot: Inputs, finish: Finish?, framing: Framing, location: String, turn: Orientation
    ) -> JSONObject {
        var object = JSONObject()
        object["description"] = .string(
            sentence("\(shot.subject)\(makeup(shot)), presented as a standalone studio product"))
        object["location"] = .string(location)
        object["relationship"] = "Primary subject, alone in the frame and the sole focus of the image."
        object["relative_size"] = .string(framing.relativeSize)
        if let material = shot.material {
            object["shape_and_color"] = .string(
                "Accurate product shape and true-to-life colors, made of \(material).")
        }
        object["texture"] = .string(texture(material: shot.material, finish: finish))
        var details = "Crisp edges, accurate proportions and fine surface detail"
        if let extra = finish?.appearance { details += ", \(extra)" }
        object["appearance_details"] = .string(sentence(details))
        object["orientation"] = .string(turn.description)
        return object
    }

    private static func texture(material: String?, finish: Finish?) -> String {
        switch (material, finish) {
        case (nil, nil):
            return ""
        case (let material?, nil):
            return "Natural surface texture of the \(material) material."
        case (let material, let finish?):
            var text = finish.surface
            if let material { text += "; \(material) material" }
            return sentence(text)
        }
    }

    private static func backgroundSetting(_ background: Color?) -> String {
        guard let background else { return "A seamless studio background, no distracting elements." }
        return "A seamless studio background in \(background.name) (\(background.hex)), no distracting elements."
    }

    private static func lighting(_ shot: Inputs, finish: Finish?) -> JSONObject {
        let key = shot.keyIntensity ?? 1
        var lighting = JSONObject()

        var conditions: String
        let join: String
        if key <= 0.5 {
            conditions = "Low-key studio lighting with deep, dramatic contrast"
            join = "and"
        } else if key <= 0.8 {
            conditions = "Soft, controlled studio lighting"
            join = "with"
        } else {
            conditions = "Bright studio lighting with clean, even exposure"
            join = "and"
        }
        if let finish, finish.isReflective {
            conditions += " \(join) managed reflections on the \(finish.reflectiveWord) surface"
        }
        lighting["conditions"] = .string(sentence(conditions))

        var direction: String
        if let position = shot.keyPosition {
            direction = "Key light " + lightDirection(position)
        } else {
            direction = "Even, frontal studio light"
        }
        if let rim = shot.rimIntensity, rim > 0, let rimPosition = shot.rimPosition {
            direction += ", rim light " + lightDirection(rimPosition)
        }
        lighting["direction"] = .string(sentence(direction))

        var shadows: String
        if key <= 0.5 {
            shadows = "Deep, well-defined shadows"
        } else if key <= 0.8 {
            shadows = "Soft, diffused shadows"
        } else {
            shadows = "Crisp, clean shadows"
        }
        if let position = shot.keyPosition, let fall = shadowFall(position) {
            shadows += " \(fall)"
        }
        shadows += ", grounding the product"
        if let rim = shot.rimIntensity, rim > 0, shot.rimPosition != nil {
            let ratio = key > 0 ? rim / key : .infinity
            if ratio >= 1 {
                shadows += "; a strong rim light outlines its edges against the background"
            } else if ratio >= 0.5 {
                shadows += "; a clear rim highlight separates its edges from the background"
            } else {
                shadows += "; a subtle rim highlight separates its edges from the background"
            }
        }
        lighting["shadows"] = .string(sentence(shadows))
        return lighting
    }

    private static func aesthetics(
        _ shot: Inputs, framing: Framing, location: String, palette: [Color], background: Color?,
        tone: Tone?
    ) -> JSONObject {
        var aesthetics = JSONObject()

        var composition = location == "center" ? "Centered" : "Off-center"
        if let format = shot.format { composition += ", \(format)" }
        composition += " product composition"
        if location != "center" { composition += " with the product \(location)" }
        composition += ", \(framing.compositionDetail)"
        aesthetics["composition"] = .string(sentence(composition))

        var scheme = ""
        if let tone {
            let named = palette.prefix(paletteLimit).map { "\($0.name) (\($0.hex))" }
            if named.isEmpty {
                if let background {
                    scheme = "\(tone.capitalized) tones built around the \(background.name) (\(background.hex)) background"
                }
            } else {
                scheme = "\(tone.capitalized) palette of \(list(named))"
                if let background {
                    scheme += ", set against a \(background.name) (\(background.hex)) background"
                }
            }
        }
        aesthetics["color_scheme"] = .string(scheme.isEmpty ? "" : sentence(scheme))

        let key = shot.keyIntensity ?? 1
        var mood: String
        if key <= 0.5 {
            mood = "Dramatic, moody, premium product look"
        } else if key <= 0.8 {
            mood = "Clean, calm and refined commercial product look"
        } else {
            mood = "Bright, clean, modern commercial product look"
        }
        if let tone { mood += ", with \(tone.feel)" }
        aesthetics["mood_atmosphere"] = .string(sentence(mood))
        aesthetics["preference_score"] = "very high"
        aesthetics["aesthetic_score"] = "very high"
        return aesthetics
    }

    private static func photographicCharacteristics(
        _ shot: Inputs, framing: Framing, elevation: Elevation, turn: Orientation
    ) -> JSONObject {
        var characteristics = JSONObject()
        if let aperture = shot.aperture {
            characteristics["depth_of_field"] = .string(depthOfField(aperture: aperture))
            characteristics["focus"] = .string(focus(aperture: aperture))
        }
        characteristics["camera_angle"] = .string(
            "\(elevation.label), \(turn.view) with \(framing.phrase) (\(format(shot.fov))° field of view).")
        if let focalLength = shot.focalLength {
            characteristics["lens_focal_length"] = .string(lensFocalLength(focalLength))
        }
        return characteristics
    }

    private static func context(_ shot: Inputs) -> String {
        if let category = shot.category {
            return "E-commerce product catalog image for \(category)."
        }
        return "E-commerce product catalog image."
    }

    // MARK: - Text helpers

    /// " made of plastic with a glossy finish", from the material and finish attributes.
    private static func makeup(_ shot: Inputs) -> String {
        var text = ""
        if let material = shot.material { text += " made of \(material)" }
        if let finish = shot.finish {
            let lower = finish.lowercased()
            let article = "aeiou".contains(lower.first ?? "x") ? "an" : "a"
            text += " with \(article) \(finish)"
            if !lower.hasSuffix("finish") { text += " finish" }
        }
        return text
    }

    /// Ends the text with a period unless it already ends a sentence.
    private static func sentence(_ text: String) -> String {
        guard let last = text.last else { return text }
        return ".!?".contains(last) ? text : text + "."
    }

    /// "a", "a and b", "a, b and c".
    private static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
        }
    }

    /// Shortest decimal form, at most two decimals, integral values without ".0": 50, 2.8, 0.7.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        var rounded = (value * 100).rounded() / 100
        if !rounded.isFinite { rounded = value }
        if rounded == 0 { return "0" }
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int64(rounded)) }
        return "\(rounded)"
    }

    // MARK: - Inputs

    /// The parts of the spec the compiler reads, with defaults for what a validated spec always has.
    private struct Inputs {
        var subject: String
        var category: String?
        var material: String?
        var finish: String?
        var fov: Double
        var cameraPosition: Vector
        var cameraRotation: Vector
        var aperture: Double?
        var focalLength: Double?
        var keyIntensity: Double?
        var keyPosition: Vector?
        var rimIntensity: Double?
        var rimPosition: Vector?
        var palette: [String]
        var backgroundHex: String?
        var format: String?

        init(_ spec: JSONObject) {
            let subject = TextSanitizer.plain(spec["subject"]?.stringValue ?? "", limit: subjectLimit)
            self.subject = subject.isEmpty ? "the product" : subject
            let attributes = spec["attributes"]?.objectValue
            func attribute(_ key: String) -> String? {
                guard let raw = attributes?[key]?.stringValue else { return nil }
                let value = TextSanitizer.plain(raw, limit: attributeLimit)
                return value.isEmpty ? nil : value
            }
            category = attribute("category")
            material = attribute("material")
            finish = attribute("finish")

            let camera = spec["camera"]
            let fov = camera?["fov"]?.numberValue ?? 45
            self.fov = fov > 0 && fov < 180 ? fov : 45
            cameraPosition = Vector(camera?["position"]) ?? Vector(x: 0, y: 0, z: 5)
            cameraRotation = Vector(camera?["rotation"]) ?? Vector(x: 0, y: 0, z: 0)

            let lens = spec["lens"]
            aperture = lens?["aperture"]?.numberValue.flatMap { $0 > 0 ? $0 : nil }
            focalLength = lens?["focal_length"]?.numberValue.flatMap { $0 > 0 ? $0 : nil }

            let key = spec["lighting"]?["key_light"]
            keyIntensity = key?["intensity"]?.numberValue
            keyPosition = Vector(key?["position"])
            let rim = spec["lighting"]?["rim_light"]
            rimIntensity = rim?["intensity"]?.numberValue
            rimPosition = Vector(rim?["position"])

            palette = spec["color"]?["palette"]?.arrayValue?.compactMap(\.stringValue) ?? []
            backgroundHex = spec["background"]?["hex"]?.stringValue

            if let width = spec["output"]?["width"]?.numberValue,
               let height = spec["output"]?["height"]?.numberValue, width > 0, height > 0 {
                let ratio = width / height
                format = abs(ratio - 1) < 0.02 ? "square-format" : (ratio > 1 ? "landscape-format" : "portrait-format")
            } else {
                format = nil
            }
        }

        /// Half the width of the view at the product: distance × tan(fov / 2).
        var halfExtent: Double {
            cameraPosition.length * tan(fov / 2 * Double.pi / 180)
        }
    }
}
