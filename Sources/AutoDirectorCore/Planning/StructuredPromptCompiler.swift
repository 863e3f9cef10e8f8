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

    // MARK: - Vocabulary (internal for tests)

    /// `"50mm standard lens"`: < 24 ultra-wide, < 35 wide-angle, < 70 standard, < 135 short telephoto, else telephoto.
    static func lensFocalLength(_ focalLength: Double) -> String {
        let kind: String
        if focalLength < 24 {
            kind = "ultra-wide lens"
        } else if focalLength < 35 {
            kind = "wide-angle lens"
        } else if focalLength < 70 {
            kind = "standard lens"
        } else if focalLength < 135 {
            kind = "short telephoto lens"
        } else {
            kind = "telephoto lens"
        }
        return "\(format(focalLength))mm \(kind)"
    }

    /// < 2 shallow, < 5.6 moderate, else deep.
    static func depthOfField(aperture: Double) -> String {
        let stop = "f/\(format(aperture))"
        if aperture < 2 {
            return "Shallow depth of field with strong background blur (\(stop))."
        } else if aperture < 5.6 {
            return "Moderate depth of field (\(stop)), keeping the whole product sharp with a soft background falloff."
        } else {
            return "Deep depth of field, everything sharp (\(stop))."
        }
    }

    private static func focus(aperture: Double) -> String {
        if aperture < 2 {
            return "Sharp focus on the front of the product, with the background melting into soft blur."
        } else if aperture < 5.6 {
            return "Sharp focus across the product, with crisp edges and fine surface detail."
        } else {
            return "Everything in sharp focus, from the product's front edge to the background."
        }
    }

    /// Where a light comes from, as `"from upper front-right"`.
    static func lightDirection(_ position: Vector) -> String {
        let length = position.length
        guard length > 0 else { return "positioned at the product" }
        let deadZone = 0.1 * length
        func sign(_ value: Double) -> Int { value > deadZone ? 1 : (value < -deadZone ? -1 : 0) }
        let side = ["left", "", "right"][sign(position.x) + 1]
        let depth = ["back", "", "front"][sign(position.z) + 1]
        let horizontal: String
        switch (depth.isEmpty, side.isEmpty) {
        case (false, false): horizontal = "\(depth)-\(side)"
        case (false, true): horizontal = depth
        case (true, false): horizontal = side
        case (true, true): horizontal = ""
        }
        switch sign(position.y) {
        case 1: return horizontal.isEmpty ? "from directly above" : "from upper \(horizontal)"
        case -1: return horizontal.isEmpty ? "from directly below" : "from lower \(horizontal)"
        default: return "from the \(horizontal), level with the product"
        }
    }

    /// Where the key light's shadow falls (opposite the light, horizontally), or nil for a light from straight above/below.
    private static func shadowFall(_ position: Vector) -> String? {
        let length = position.length
        guard length > 0 else { return nil }
        let deadZone = 0.1 * length
        func sign(_ value: Double) -> Int { value > deadZone ? 1 : (value < -deadZone ? -1 : 0) }
        let side = ["right", "", "left"][sign(position.x) + 1]
        let depth = ["front", "", "back"][sign(position.z) + 1]
        switch (depth.isEmpty, side.isEmpty) {
        case (false, false): return "falling toward the \(depth)-\(side)"
        case (false, true): return "falling toward the \(depth)"
        case (true, false): return "falling toward the \(side)"
        case (true, true): return sign(position.y) > 0 ? "pooling directly beneath the product" : nil
        }
    }

    /// Where the product sits in the frame, from the camera's x/y offset.
    static func locationText(camera: Vector, halfExtent: Double) -> String {
        guard halfExtent > 0, halfExtent.isFinite else { return "center" }
        func phrase(_ offset: Double, negative: (word: String, edge: String),
                    positive: (word: String, edge: String)) -> String? {
            let magnitude = abs(offset)
            let side = offset < 0 ? negative : positive
            if magnitude < 0.1 { return nil }
            if magnitude < 0.5 { return "slightly \(side.word) center" }
            if magnitude < 1 { return "\(side.word) center" }
            return "near the \(side.edge) edge of the frame"
        }
        // A camera moved right (+x) sees the product toward frame-left; moved up (+y), lower.
        let horizontal = phrase(-camera.x / halfExtent, negative: ("left of", "left"), positive: ("right of", "right"))
        let vertical = phrase(-camera.y / halfExtent, negative: ("below", "bottom"), positive: ("above", "top"))
        switch (horizontal, vertical) {
        case (nil, nil): return "center"
        case (let h?, nil): return h
        case (nil, let v?): return v
        case (let h?, let v?): return "\(h) and \(v)"
        }
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

    // MARK: - Model

    struct Vector: Equatable {
        var x: Double
        var y: Double
        var z: Double

        init(x: Double, y: Double, z: Double) {
            self.x = x
            self.y = y
            self.z = z
        }

        init?(_ value: JSONValue?) {
            guard let object = value?.objectValue else { return nil }
            x = object["x"]?.numberValue ?? 0
            y = object["y"]?.numberValue ?? 0
            z = object["z"]?.numberValue ?? 0
        }

        var length: Double { (x * x + y * y + z * z).squareRoot() }
    }

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

    enum Framing {
        case closeUp, tight, medium, wide

        init(halfExtent: Double) {
            if halfExtent < 1 {
                self = .closeUp
            } else if halfExtent < 2.5 {
                self = .tight
            } else if halfExtent < 4.5 {
                self = .medium
            } else {
                self = .wide
            }
        }

        var phrase: String {
            switch self {
            case .closeUp: return "close-up framing"
            case .tight: return "tight framing"
            case .medium: return "medium framing"
            case .wide: return "wide framing"
            }
        }

        var relativeSize: String {
            switch self {
            case .closeUp: return "filling most of the frame"
            case .tight: return "large within frame"
            case .medium: return "medium-sized within frame"
            case .wide: return "small within frame"
            }
        }

        var compositionDetail: String {
            switch self {
            case .closeUp: return "close-up framing that fills the frame with product detail"
            case .tight: return "tight framing with slight breathing room around the subject"
            case .medium: return "medium framing with comfortable negative space around the subject"
            case .wide: return "wide framing with ample negative space around the subject"
            }
        }
    }

    /// Camera elevation above the x-z plane, bucketed at ±10°, 30° and 60°.
    enum Elevation {
        case overhead, high, slightlyAbove, eyeLevel, slightlyBelow, low

        init(_ camera: Vector) {
            // Compare y against the horizontal distance with fixed tangents, so no libm call decides a bucket.
            let horizontal = (camera.x * camera.x + camera.z * camera.z).squareRoot()
            let y = camera.y
            if y >= 1.7320508075688772 * horizontal, y > 0 {  // tan 60°
                self = .overhead
            } else if y >= 0.5773502691896257 * horizontal, y > 0 {  // tan 30°
                self = .high
            } else if y >= 0.17632698070846498 * horizontal, y > 0 {  // tan 10°
                self = .slightlyAbove
            } else if y > -0.17632698070846498 * horizontal || y == 0 {
                self = .eyeLevel
            } else if y > -0.5773502691896257 * horizontal {
                self = .slightlyBelow
            } else {
                self = .low
            }
        }

        var label: String {
            switch self {
            case .overhead: return "Overhead, top-down"
            case .high: return "High angle"
            case .slightlyAbove: return "Slightly above eye level"
            case .eyeLevel: return "Eye-level"
            case .slightlyBelow: return "Slightly below eye level"
            case .low: return "Low angle"
            }
        }

        var clause: String {
            switch self {
            case .overhead: return "from directly overhead"
            case .high: return "from a high angle"
            case .slightlyAbove: return "from slightly above eye level"
            case .eyeLevel: return "at eye level"
            case .slightlyBelow: return "from slightly below eye level"
            case .low: return "from a low angle"
            }
        }
    }

    /// The product's turn, from camera rotation y in degrees (positive: turned to the left).
    struct Orientation {
        let description: String
        let view: String

        init(yaw: Double) {
            var angle = yaw.isFinite ? yaw.truncatingRemainder(dividingBy: 360) : 0
            if angle > 180 { angle -= 360 } else if angle <= -180 { angle += 360 }
            let magnitude = abs(angle)
            let turned = "Turned \(format(magnitude)) degrees to the \(angle > 0 ? "left" : "right")"
            if magnitude < 0.5 {
                description = "Facing the camera, straight-on front view."
                view = "straight-on product view"
            } else if magnitude < 20 {
                description = "\(turned), nearly straight-on."
                view = "near straight-on product view"
            } else if magnitude < 70 {
                description = "\(turned), three-quarter view."
                view = "three-quarter product view"
            } else if magnitude < 110 {
                description = "\(turned), side profile view."
                view = "side profile view"
            } else if magnitude < 179.5 {
                description = "\(turned), rear three-quarter view."
                view = "rear three-quarter view"
            } else {
                description = "Facing away from the camera, rear view."
                view = "rear view"
            }
        }
    }

    /// A finish attribute, bucketed for surface wording; the raw value is kept for unknown finishes.
    struct Finish {
        enum Kind { case glossy, satin, matte, metallic, brushed, textured, softTouch, other }

        let kind: Kind
        let raw: String

        init(_ raw: String) {
            self.raw = raw
            let value = raw.lowercased()
            if value.contains("soft-touch") || value.contains("soft touch") || value.contains("rubber") {
                kind = .softTouch
            } else if value.contains("satin") || value.contains("semi-gloss") || value.contains("semigloss")
                || value.contains("eggshell") || value.contains("silk") {
                kind = .satin
            } else if value.contains("gloss") || value.contains("lacquer") || value.contains("shiny") {
                kind = .glossy
            } else if value.contains("matte") || value.contains("matt") || value.contains("frosted") {
                kind = .matte
            } else if value.contains("brushed") {
                kind = .brushed
            } else if value.contains("metallic") || value.contains("chrome") || value.contains("polished")
                || value.contains("mirror") {
                kind = .metallic
            } else if value.contains("textur") || value.contains("grain") {
                kind = .textured
            } else {
                kind = .other
            }
        }

        /// Texture wording, e.g. "glossy, reflective surface".
        var surface: String {
            switch kind {
            case .glossy: return "Glossy, reflective surface"
            case .satin: return "Satin, softly reflective surface"
            case .matte: return "Matte, non-reflective surface"
            case .metallic: return "Polished, highly reflective metallic surface"
            case .brushed: return "Brushed surface with fine directional grain"
            case .textured: return "Textured, tactile surface"
            case .softTouch: return "Soft-touch, velvety matte surface"
            case .other: return "Surface with a \(raw) finish"
            }
        }

        var appearance: String? {
            switch kind {
            case .glossy: return "with controlled specular highlights"
            case .satin: return "with soft, broad highlights"
            case .matte, .softTouch: return "with even, diffuse tonality"
            case .metallic: return "with clean, controlled reflections"
            case .brushed: return "with fine, directional highlights"
            case .textured: return "with visible surface texture"
            case .other: return nil
            }
        }

        var isReflective: Bool { kind == .glossy || kind == .metallic || kind == .satin }

        var reflectiveWord: String {
            switch kind {
            case .metallic: return "metallic"
            case .satin: return "satin"
            default: return "glossy"
            }
        }
    }

    /// An `#rrggbb` color with its HSL description.
    struct Color {
        /// Upper-case `#RRGGBB`.
        let hex: String
        /// max - min of the channels, 0…1.
        let chroma: Double
        /// HSL lightness, 0…1.
        let lightness: Double
        /// HSL saturation, 0…1.
        let saturation: Double
        /// Hue in degrees, 0..<360 (0 for grays).
        let hue: Double

        init?(hex text: String) {
            guard let color = HexColor(text) else { return nil }
            hex = color.hex
            let (r, g, b) = (Double(color.red) / 255, Double(color.green) / 255, Double(color.blue) / 255)
            let maximum = max(r, g, b)
            let minimum = min(r, g, b)
            chroma = maximum - minimum
            lightness = (maximum + minimum) / 2
            saturation = chroma == 0 ? 0 : chroma / (1 - abs(2 * lightness - 1))
            if chroma == 0 {
                hue = 0
            } else {
                var h: Double
                if maximum == r {
                    h = ((g - b) / chroma).truncatingRemainder(dividingBy: 6)
                } else if maximum == g {
                    h = (b - r) / chroma + 2
                } else {
                    h = (r - g) / chroma + 4
                }
                h *= 60
                if h < 0 { h += 360 }
                hue = h
            }
        }

        /// A plain-language approximation: "very light cool gray", "vivid red", "muted dark blue".
        var name: String {
            let lightnessWord: String
            if lightness >= 0.85 {
                lightnessWord = "very light"
            } else if lightness >= 0.65 {
                lightnessWord = "light"
            } else if lightness >= 0.35 {
                lightnessWord = ""
            } else if lightness >= 0.18 {
                lightnessWord = "dark"
            } else {
                lightnessWord = "very dark"
            }

            if chroma < 0.08 {
                if lightness >= 0.98 && chroma < 0.02 { return "white" }
                if lightness < 0.08 { return "black" }
                var gray = "gray"
                if chroma >= 0.02 {
                    if hue >= 150 && hue < 300 {
                        gray = "cool gray"
                    } else if hue < 70 || hue >= 330 {
                        gray = "warm gray"
                    }
                }
                return Color.words([lightnessWord, gray])
            }

            var base: String
            switch hue {
            case ..<15: base = "red"
            case ..<40: base = "orange"
            case ..<65: base = "yellow"
            case ..<90: base = "yellow-green"
            case ..<160: base = "green"
            case ..<195: base = "teal"
            case ..<255: base = "blue"
            case ..<290: base = "purple"
            case ..<335: base = "pink"
            default: base = "red"
            }
            if base == "orange" && lightness < 0.45 { base = "brown" }
            if base == "yellow" && lightness < 0.35 { base = "olive" }
            if base == "red" && lightness >= 0.75 { base = "pink" }

            var saturationWord = ""
            if saturation >= 0.85 && lightness >= 0.3 && lightness <= 0.7 {
                saturationWord = "vivid"
            } else if saturation < 0.3 {
                saturationWord = "muted"
            }
            return Color.words([saturationWord, lightnessWord, base])
        }

        private static func words(_ parts: [String]) -> String {
            parts.filter { !$0.isEmpty }.joined(separator: " ")
        }
    }

    /// Overall temperature of a set of colors: the chroma-weighted mean hue, neutral when the mean chroma is low.
    enum Tone {
        case cool, warm, neutral

        init(_ colors: [Color]) {
            var sumX = 0.0
            var sumY = 0.0
            for color in colors {
                let radians = color.hue * Double.pi / 180
                sumX += color.chroma * cos(radians)
                sumY += color.chroma * sin(radians)
            }
            let count = Double(max(colors.count, 1))
            let meanChroma = (sumX * sumX + sumY * sumY).squareRoot() / count
            if meanChroma < 0.04 {
                self = .neutral
                return
            }
            var hue = atan2(sumY, sumX) * 180 / Double.pi
            if hue < 0 { hue += 360 }
            self = hue < 75 || hue >= 300 ? .warm : .cool
        }

        var capitalized: String {
            switch self {
            case .cool: return "Cool"
            case .warm: return "Warm"
            case .neutral: return "Neutral"
            }
        }

        var feel: String {
            switch self {
            case .cool: return "a crisp, cool feel"
            case .warm: return "a warm, inviting feel"
            case .neutral: return "a neutral, timeless feel"
            }
        }
    }
}
